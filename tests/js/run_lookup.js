// Runs static/search.js's commune lookup (window.comobiSearch.find) on a recherche.js, for many texts.
// Usage: node run_lookup.js <recherche.js> <search.js> < texts.json
// Prints, for each text, the number of the commune found in the index, or null.
"use strict";
const fs = require("fs");
const vm = require("vm");
const [indexFile, scriptFile] = process.argv.slice(2);

const context = { window: {}, document: { getElementById: () => null } };
vm.createContext(context);
vm.runInContext(fs.readFileSync(indexFile, "utf8"), context);
vm.runInContext(fs.readFileSync(scriptFile, "utf8"), context);
const search = context.window.comobiSearch;
const model = search.prepare(context.window.comobiSearchIndex);
const texts = JSON.parse(fs.readFileSync(0, "utf8"));
console.log(JSON.stringify(texts.map((text) => {
  const found = search.find(model, text);
  return found === undefined ? null : found.number;
})));
