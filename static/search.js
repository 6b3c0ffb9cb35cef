/* Search on a frozen site (no server): filters window.comobiSearchIndex (recherche.js).
   Progressive enhancement: without this script the page lists the communes instead. */
(function () {
  "use strict";
  var form = document.getElementById("recherche-statique");
  var index = window.comobiSearchIndex;
  if (!form || !index) { return; }
  var root = form.getAttribute("data-root") || "";
  var results = document.getElementById("resultats-statiques");
  var list = document.getElementById("communes-trajets");

  function key(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/\bst\b/g, "saint").replace(/\bste\b/g, "sainte").replace(/[^a-z0-9]+/g, " ").trim();
  }

  var communes = {};
  index.communes.forEach(function (commune) {
    communes[key(commune.nom)] = commune;
    var option = document.createElement("option");
    option.value = commune.nom;
    list.appendChild(option);
  });

  function runsOn(leg, weekday) {
    if (weekday === "") { return true; }
    if (leg.date) { return (new Date(leg.date + "T12:00:00").getDay() + 6) % 7 === Number(weekday); }
    return leg.jours.indexOf(Number(weekday)) !== -1;
  }

  function element(tag, text) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    return node;
  }

  function say(message, withLink) {
    results.textContent = "";
    var p = element("p", message);
    if (withLink) {
      p.appendChild(document.createTextNode(" "));
      var a = element("a", "Voir la liste des communes.");
      a.href = form.parentNode.querySelector(".by-commune a").href;
      p.appendChild(a);
    }
    results.appendChild(p);
  }

  function search(event) {
    event.preventDefault();
    var from = form.elements.depart.value, to = form.elements.arrivee.value;
    var origin = communes[key(from)], destination = communes[key(to)];
    if ((from && !origin) || (to && !destination)) {
      say("Aucun trajet connu pour « " + (from && !origin ? from : to) + " ».", true);
      return;
    }
    var keys = null;
    if (origin) { keys = origin.depart.slice(); }
    if (destination) {
      keys = keys === null ? destination.arrivee.slice()
        : keys.filter(function (k) { return destination.arrivee.indexOf(k) !== -1; });
    }
    if (keys === null) { keys = Object.keys(index.trajets); }
    var weekday = form.elements.jour.value;
    var legs = keys.map(function (k) { return index.trajets[k]; })
      .filter(function (leg) { return runsOn(leg, weekday); });
    if (!legs.length) {
      say("Aucun trajet ne correspond. Le service peut chercher pour vous : appelez-le.", false);
      return;
    }
    results.textContent = "";
    results.appendChild(element("h2", legs.length + (legs.length > 1 ? " trajets" : " trajet")));
    var ul = element("ul");
    legs.forEach(function (leg) {
      var li = element("li");
      var a = element("a", leg.depart + " → " + leg.arrivee);
      a.href = root + leg.page;
      li.appendChild(a);
      var when = leg.date ? leg.date.split("-").reverse().join("/") : leg.quand;
      li.appendChild(document.createTextNode(" — " + when + (leg.heure ? ", départ à " + leg.heure : "") +
        (leg.retour ? " (trajet retour)" : "")));
      ul.appendChild(li);
    });
    results.appendChild(ul);
  }

  form.addEventListener("submit", search);
  form.hidden = false;
}());
