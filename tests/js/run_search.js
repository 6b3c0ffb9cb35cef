// Runs static/search.js against a tiny stand-in for the DOM, then prints the result links.
// Usage: node run_search.js <recherche.js> <search.js> <depart> <arrivee> <jour>
"use strict";
const fs = require("fs");
const vm = require("vm");
const [indexFile, scriptFile, depart, arrivee, jour] = process.argv.slice(2);

function node(tag) {
  return {
    tag, children: [], attributes: {}, href: "", value: "", _text: "",
    appendChild(child) { this.children.push(child); return child; },
    set textContent(text) { this._text = text; this.children = []; },
    get textContent() { return this._text + this.children.map((c) => c.textContent).join(""); },
  };
}
const results = node("div");
const datalist = node("datalist");
const byCommune = node("a");
byCommune.href = "communes/index.html";
let onSubmit = null;
const form = Object.assign(node("form"), {
  hidden: true,
  elements: { depart: { value: depart }, arrivee: { value: arrivee }, jour: { value: jour } },
  getAttribute: (name) => (name === "data-root" ? "../" : null),
  addEventListener: (type, handler) => { onSubmit = handler; },
  parentNode: { querySelector: () => byCommune },
});
const elements = { "recherche-statique": form, "resultats-statiques": results, "communes-trajets": datalist };
const document = {
  getElementById: (id) => elements[id] || null,
  createElement: (tag) => node(tag),
  createTextNode: (text) => ({ textContent: text }),
};
const context = { window: {}, document };
context.window.document = document;
vm.createContext(context);
vm.runInContext(fs.readFileSync(indexFile, "utf8"), context);
context.comobiSearchIndex = context.window.comobiSearchIndex;
vm.runInContext(fs.readFileSync(scriptFile, "utf8"), context);
let prevented = false;
onSubmit({ preventDefault() { prevented = true; } });
const links = [];
(function walk(n) { if (n.tag === "a") { links.push(n.href + " " + n.textContent); } (n.children || []).forEach(walk); })(results);
console.log(JSON.stringify({ shown: !form.hidden, prevented, options: datalist.children.length, text: results.textContent, links }));
