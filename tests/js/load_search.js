// Loads a recherche.js and static/search.js in a bare context, as a browser page would.
"use strict";
const fs = require("fs");
const vm = require("vm");

module.exports = function loadSearch(indexFile, scriptFile) {
  const context = { window: {}, document: { getElementById: () => null } };
  vm.createContext(context);
  vm.runInContext(fs.readFileSync(indexFile, "utf8"), context);
  vm.runInContext(fs.readFileSync(scriptFile, "utf8"), context);
  const search = context.window.comobiSearch;
  return { search, model: search.prepare(context.window.comobiSearchIndex) };
};
