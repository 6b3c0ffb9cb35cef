// Runs static/search.js's matching (window.comobiSearch) on a recherche.js, for many queries.
// Usage: node run_matching.js <recherche.js> <search.js> < queries.json
// Each query: {origin, destination: commune numbers or null, weekday: 0..6 or null, today: "YYYY-MM-DD"}.
// Prints, for each query, the answers best first as [trip id, "aller" | "retour", runs that day].
"use strict";
const fs = require("fs");
const loadSearch = require("./load_search.js");
const [indexFile, scriptFile] = process.argv.slice(2);

const { search, model } = loadSearch(indexFile, scriptFile);
const place = (n) => (n === null ? null : model.communes[n]);
const queries = JSON.parse(fs.readFileSync(0, "utf8"));
const answers = queries.map((q) => search.match(model, {
  origin: place(q.origin), destination: place(q.destination), weekday: q.weekday, today: q.today,
}).map((found) => [found.trip.id, found.back ? "retour" : "aller", found.sameDay]));
console.log(JSON.stringify(answers));
