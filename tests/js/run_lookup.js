// Runs static/search.js's commune lookup (window.comobiSearch.find) on a recherche.js, for many texts.
// Usage: node run_lookup.js <recherche.js> <search.js> < texts.json
// Prints, for each text, the number of the commune found in the index, or null.
"use strict";
const fs = require("fs");
const loadSearch = require("./load_search.js");
const [indexFile, scriptFile] = process.argv.slice(2);

const { search, model } = loadSearch(indexFile, scriptFile);
const texts = JSON.parse(fs.readFileSync(0, "utf8"));
console.log(JSON.stringify(texts.map((text) => {
  const found = search.find(model, text);
  return found === undefined ? null : found.number;
})));
