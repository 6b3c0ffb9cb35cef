// Runs static/search.js in a frozen page, against a tiny stand-in for the DOM, step by step.
// Usage: node run_search.js <site folder> <page, e.g. trajets/index.html?depart=Cahors> <steps as JSON>
// Steps: {"fill": {"depart": "Cahors", "jour": "0"}}, {"type": "depart"} (an input event),
// {"submit": true}, {"load": true} (the scripts added so far arrive), {"fail": true} (they
// cannot be fetched), {"more": true} (click the "more" button). Prints one snapshot per step.
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");
const [site, address, stepsJson] = process.argv.slice(2);
const [pageFile, query] = address.split("?");  // trajets/index.html?arrivee=Cahors

const html = fs.readFileSync(path.join(site, pageFile), "utf8");
const attribute = (pattern) => { const found = html.match(pattern); return found ? found[1] : null; };
let focused = null;

function node(tag) {
  return {
    tag, children: [], parentNode: null, attributes: {}, listeners: {}, href: "", value: "", _text: "",
    appendChild(child) { child.parentNode = this; this.children.push(child); return child; },
    removeChild(child) { this.children = this.children.filter((c) => c !== child); child.parentNode = null; return child; },
    get firstChild() { return this.children[0] || null; },
    set textContent(text) { this._text = text; this.children = []; },
    get textContent() { return this._text + this.children.map((c) => c.textContent).join(""); },
    addEventListener(type, handler) { (this.listeners[type] = this.listeners[type] || []).push(handler); },
    dispatch(type, event) { (this.listeners[type] || []).forEach((handler) => handler(event)); },
    getAttribute(name) { return name in this.attributes ? this.attributes[name] : null; },
    focus() { focused = this; },
  };
}
const results = node("div");
const datalist = node("datalist");
const head = node("head");
const byCommune = node("a");
byCommune.href = attribute(/<p class="by-commune"><a href="([^"]*)"/);
const form = Object.assign(node("form"), {
  hidden: true,
  elements: { depart: { value: "" }, arrivee: { value: "" }, jour: { value: "" } },
  parentNode: { querySelector: () => byCommune },
});
form.attributes["data-root"] = attribute(/id="recherche-statique"[^>]* data-root="([^"]*)"/);
form.attributes["data-index"] = attribute(/id="recherche-statique"[^>]* data-index="([^"]*)"/);
const elements = { "recherche-statique": form, "resultats-statiques": results, "communes-trajets": datalist };
const document = {
  head,
  getElementById: (id) => elements[id] || null,
  createElement: (tag) => node(tag),
  createTextNode: (text) => ({ textContent: text }),
};
const context = { window: { location: { search: query ? "?" + query : "" } }, document };
vm.createContext(context);
vm.runInContext(fs.readFileSync(path.join(site, "static/search.js"), "utf8"), context);

const requested = [];  // every script search.js added, in order
const arrived = new Set();
function find(n, test, found = []) {
  if (test(n)) { found.push(n); }
  (n.children || []).forEach((child) => find(child, test, found));
  return found;
}
const steps = {
  fill(values) { Object.entries(values).forEach(([name, value]) => { form.elements[name].value = value; }); },
  type(name) { form.dispatch("input", { target: form.elements[name] }); },
  submit() {
    const event = { prevented: false, preventDefault() { this.prevented = true; } };
    form.dispatch("submit", event);
    return event.prevented;
  },
  load() {
    head.children.filter((s) => !arrived.has(s)).forEach((script) => {
      arrived.add(script);
      vm.runInContext(fs.readFileSync(path.join(site, path.dirname(pageFile), script.src), "utf8"), context);
      script.onload();
    });
  },
  fail() { head.children.filter((s) => !arrived.has(s)).forEach((script) => { arrived.add(script); script.onerror(); }); },
  more() { find(results, (n) => n.tag === "button")[0].dispatch("click", {}); },
};
const snapshots = JSON.parse(stepsJson).map((step) => {
  const [name, value] = Object.entries(step)[0];
  const before = head.children.length;
  const returned = steps[name](value);
  head.children.slice(before).forEach((script) => requested.push(script.src));
  const button = find(results, (n) => n.tag === "button")[0];
  return {
    step: name, returned: returned === undefined ? null : returned, shown: !form.hidden, requested: requested.slice(),
    options: datalist.children.length, text: results.textContent,
    heading: find(results, (n) => n.tag === "h2").map((h) => h.textContent)[0] || null,
    results: find(results, (n) => n.tag === "li").map((li) => li.textContent),
    links: find(results, (n) => n.tag === "a").map((a) => a.href + " " + a.textContent),
    button: button ? { text: button.textContent, type: button.type } : null,
    focused: focused ? focused.href + " " + focused.textContent : null,
  };
});
console.log(JSON.stringify(snapshots));
