/* Search on a frozen site (no server). Progressive enhancement: without this script the page
   lists the communes instead. The trips (recherche.js, window.comobiSearchIndex) are fetched
   only when the visitor starts to search; they are matched and ranked here as
   comobi/matching.py does (TripIndex.ranked), and communes are found from what is typed as
   comobi/places.py finds them: tests/test_search_js.py checks they agree. */
(function () {
  "use strict";
  var DEGREE = Math.PI / 180, NO_TIME = 24 * 60, PAGE_SIZE = 20;
  var LIGATURES = [["œ", "oe"], ["Œ", "Oe"], ["æ", "ae"], ["Æ", "Ae"], ["ß", "ss"]];  // comobi.parsing
  var CODE = "(\\d{5}|\\d{2,3}|2[ab])";  // comobi.places.split_query
  var QUERY_FORMS = [[new RegExp("^" + CODE + "$"), 1, 0], [new RegExp("^" + CODE + "[\\s,\\-]+(.+)$"), 1, 2],
                     [new RegExp("^(.+?)\\s*\\(\\s*" + CODE + "\\s*\\)$"), 2, 1],
                     [new RegExp("^(.+?)[\\s,\\-]+" + CODE + "$"), 2, 1]];
  var TRAILING_ARTICLE = /^(.+?)\s*\((le|la|les|l')\)$/;

  // --- matching, as comobi/matching.py (keep the two in step) ----------------------

  /* The index as objects: communes {name, lat, lon, slug} (with their point in radians),
     trips {id, start, end, outbound, back, days, date} with their leg's length and box. */
  function prepare(data) {
    var communes = data.communes.map(function (c, number) {
      var latR = c[1] * DEGREE;
      return { number: number, name: c[0], lat: c[1], lon: c[2], slug: c[3], latR: latR, lonR: c[2] * DEGREE,
               cosLat: Math.cos(latR) };
    });
    var detourFactor = data.reglages.detour, nearKm = data.reglages.proche_km;
    var earthRadiusKm = data.constantes.rayon_terre_km, kmPerDegree = data.constantes.km_par_degre;
    var trips = data.trajets.map(function (t, position) {
      var start = communes[t[1]], end = communes[t[2]], direct = distanceKm(start, end, earthRadiusKm);
      return { position: position, id: t[0], start: start, end: end, outbound: t[3], back: t[4], days: t[5],
               date: t[6], dateWeekday: t[6] ? isoWeekday(t[6]) : -1, direct: direct,
               // matching._Search._could_fit: the same for both legs
               reach: Math.max(detourFactor * direct, direct + 2 * nearKm) / 2,
               middleLat: (start.lat + end.lat) / 2, middleLon: (start.lon + end.lon) / 2 };
    });
    return { communes: communes, trips: trips, detourFactor: detourFactor, nearKm: nearKm, data: data,
             earthRadiusKm: earthRadiusKm, kmPerDegree: kmPerDegree };
  }

  function isoWeekday(iso) {
    var parts = iso.split("-");
    return (new Date(Date.UTC(+parts[0], parts[1] - 1, +parts[2])).getUTCDay() + 6) % 7;
  }

  /* comobi.places.distance_km, with each point's radians and cosine worked out once */
  function distanceKm(a, b, earthRadiusKm) {
    var halfLat = Math.sin((b.latR - a.latR) / 2), halfLon = Math.sin((b.lonR - a.lonR) / 2);
    var h = halfLat * halfLat + a.cosLat * b.cosLat * halfLon * halfLon;
    return 2 * earthRadiusKm * Math.asin(Math.sqrt(h));
  }

  /* Distances from the places searched, measured once per search (the same communes come
     back in trip after trip). */
  function measurer(model, origin, destination) {
    function from(place) {
      var known = [];
      return function (other) {
        if (other === place) { return 0; }
        var km = known[other.number];
        return km !== undefined ? km : (known[other.number] = distanceKm(other, place, model.earthRadiusKm));
      };
    }
    return { origin: origin, destination: destination, fromOrigin: origin && from(origin),
             fromDestination: destination && from(destination),
             ride: origin && destination ? from(origin)(destination) : 0 };
  }

  /* Python's round(): halves go to the even neighbour. */
  function roundHalfEven(x) {
    var r = Math.round(x);
    return (r - x === 0.5 && r % 2 !== 0) ? r - 1 : r;
  }

  function runsOn(trip, weekday) {
    return trip.date ? trip.dateWeekday === weekday : (trip.days & (1 << weekday)) !== 0;
  }

  /* matching._roughly_within */
  function roughlyWithin(model, place, trip) {
    var slack = trip.reach * 1.02 + 1.0, kmPerDegree = model.kmPerDegree;
    if (Math.abs(place.lat - trip.middleLat) * kmPerDegree > slack) { return false; }
    var widest = Math.max(Math.abs(place.lat), Math.abs(trip.middleLat));
    return Math.abs(place.lon - trip.middleLon) * (kmPerDegree * Math.cos(widest * DEGREE)) <= slack;
  }

  /* The detour (km) the passenger costs on the trip's leg start -> end, or null when it does
     not suit: _Search._could_fit (the box), then _Search._detour. */
  function extraKm(model, measure, trip, start, end) {
    var origin = measure.origin, destination = measure.destination, near = model.nearKm;
    if ((origin && !roughlyWithin(model, origin, trip)) || (destination && !roughlyWithin(model, destination, trip))) {
      return null;
    }
    // An end the passenger did not give is the driver's own: 0 km away.
    var toPickup = origin ? measure.fromOrigin(start) : 0;
    var ride = origin && destination ? measure.ride : origin ? measure.fromOrigin(end) : measure.fromDestination(start);
    var toEnd = destination ? measure.fromDestination(end) : 0;
    if (!destination && ride <= near && near < toPickup) { return null; }
    if (!origin && ride <= near && near < toEnd) { return null; }
    var path = toPickup + ride + toEnd;
    var nearEnds = toPickup <= near && toEnd <= near;
    if (path <= model.detourFactor * trip.direct || nearEnds) { return Math.max(0, path - trip.direct); }
    return null;
  }

  /* The trips that suit, best first, one per trip (its better leg): TripIndex.ranked.
     query: {origin, destination: communes or null, weekday: 0 (Monday)..6 or null,
     today: "YYYY-MM-DD", one-off trips before it are left out}. */
  function match(model, query) {
    var weekday = query.weekday === undefined ? null : query.weekday;
    var origin = query.origin || null, destination = query.destination || null;
    var measure = origin || destination ? measurer(model, origin, destination) : null;
    var found = [];
    model.trips.forEach(function (trip) {
      if (trip.date && query.today && trip.date < query.today) { return; }
      var sameDay = weekday !== null && runsOn(trip, weekday);
      var unknownSchedule = !trip.date && !trip.days;
      if (weekday !== null && !sameDay && !unknownSchedule) { return; }
      var extra = measure ? extraKm(model, measure, trip, trip.start, trip.end) : 0;
      var back = measure && trip.back !== null ? extraKm(model, measure, trip, trip.end, trip.start) : null;
      // The better leg; on a tie (in whole km), the outbound one.
      var isBack = back !== null && (extra === null || roundHalfEven(back) < roundHalfEven(extra));
      if (extra === null && !isBack) { return; }
      found.push({ trip: trip, back: isBack, start: isBack ? trip.end : trip.start, end: isBack ? trip.start : trip.end,
                   time: isBack ? trip.back : trip.outbound, extra: isBack ? back : extra,
                   rounded: roundHalfEven(isBack ? back : extra), sameDay: sameDay,
                   otherDay: weekday !== null && !sameDay });
    });
    return found.sort(function (a, b) {
      return (a.otherDay - b.otherDay) || (a.rounded - b.rounded) ||
        (leaves(a) - leaves(b)) || (a.trip.position - b.trip.position);
    });
  }

  function leaves(found) {
    return found.time === null ? NO_TIME : found.time;
  }

  // --- finding a commune from what is typed, as comobi.places.Places.find ------------

  function expandLigatures(text) {
    LIGATURES.forEach(function (pair) { text = text.split(pair[0]).join(pair[1]); });
    return text;
  }

  function normaliseKey(text) {  // comobi.parsing.normalise_key
    return expandLigatures(text).normalize("NFKD").replace(/[^\x00-\x7f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "");
  }

  function nameKey(text) {  // comobi.places.name_key: St, Ste as Saint, Sainte
    var plain = expandLigatures(text).normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
    plain = plain.replace(/(^|[^\p{L}\p{N}_])st(?![\p{L}\p{N}_])\.?/gu, "$1saint")
      .replace(/(^|[^\p{L}\p{N}_])ste(?![\p{L}\p{N}_])\.?/gu, "$1sainte");
    return normaliseKey(plain);
  }

  function splitQuery(text) {  // comobi.places.split_query
    var query = text.toLowerCase().split(/\s+/).filter(Boolean).join(" "), name = query, code = "";
    for (var n = 0; n < QUERY_FORMS.length; n++) {
      var found = QUERY_FORMS[n][0].exec(query);
      if (found) { code = found[QUERY_FORMS[n][1]]; name = QUERY_FORMS[n][2] ? found[QUERY_FORMS[n][2]] : ""; break; }
    }
    var article = TRAILING_ARTICLE.exec(name);
    if (article) { name = article[2] + " " + article[1]; }
    return { name: name, postcode: code.length === 5 ? code : "", departement: code.length === 5 ? "" : code.toUpperCase() };
  }

  function own(table, key) {
    return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
  }

  /* The commune the live site finds for this text, or undefined (unknown, or not in the index).
     The tables come from the live lookup: see comobi/place_keys.py. */
  function find(model, text) {
    var query = splitQuery(text || ""), key = nameKey(query.name), tables = model.data.recherche, number;
    var code = query.postcode || query.departement;
    if (!key) {
      number = query.postcode ? own(tables.codes_postaux, query.postcode) : undefined;
    } else {
      number = code ? own(tables.noms_codes, key + " " + code) : undefined;
      if (number === undefined) { number = own(tables.noms, key); }
      if (number === undefined && key.length >= tables.prefixe_min) {
        tables.prefixes.some(function (entry) {
          var unique = key.length >= entry[1] && entry[0].lastIndexOf(key, 0) === 0;
          if (unique) { number = entry[2]; }
          return unique;
        });
      }
    }
    return number === undefined || number < 0 ? undefined : model.communes[number];
  }

  window.comobiSearch = { prepare: prepare, match: match, find: find };

  // --- the page ----------------------------------------------------------------------

  var form = document.getElementById("recherche-statique");
  if (!form) { return; }
  var root = form.getAttribute("data-root") || "";
  var results = document.getElementById("resultats-statiques");
  var suggestions = document.getElementById("communes-trajets");
  var model = null, loading = false, waiting = false;

  /* recherche.js is a script (pages opened from disk cannot fetch JSON): added once. */
  function load() {
    if (model || loading) { return; }
    loading = true;
    var script = document.createElement("script");
    script.src = form.getAttribute("data-index");
    script.onload = function () {
      loading = false;
      if (!window.comobiSearchIndex) { failed(); return; }
      ready(prepare(window.comobiSearchIndex));
    };
    script.onerror = function () {
      loading = false;
      script.parentNode.removeChild(script);  // the next search tries again
      failed();
    };
    document.head.appendChild(script);
  }

  function ready(loaded) {
    model = loaded;
    model.communes.forEach(function (commune) {
      var option = document.createElement("option");
      option.value = commune.name;
      suggestions.appendChild(option);
    });
    if (waiting) { waiting = false; search(); }
  }

  function failed() {
    if (waiting) {
      waiting = false;
      say("La recherche n'a pas pu être chargée.", true);
    }
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

  function onSubmit(event) {
    event.preventDefault();
    if (model) { search(); return; }
    waiting = true;
    say("Recherche en cours…", false);
    load();
  }

  function search() {
    var from = form.elements.depart.value.trim(), to = form.elements.arrivee.value.trim();
    var origin = from ? find(model, from) : null, destination = to ? find(model, to) : null;
    if (origin === undefined || destination === undefined) {
      say("Aucun trajet connu pour « " + (origin === undefined ? from : to) + " ».", true);
      return;
    }
    var day = form.elements.jour.value;
    var found = match(model, { origin: origin, destination: destination, weekday: day === "" ? null : Number(day),
                               today: today() });
    if (!found.length) {
      say("Aucun trajet ne correspond. Le service peut chercher pour vous : appelez-le.", false);
      communePages([origin, destination]);
      return;
    }
    results.textContent = "";
    results.appendChild(element("h2", found.length + (found.length > 1 ? " trajets" : " trajet")));
    var list = results.appendChild(element("ul"));
    var more = element("button");
    more.type = "button";
    more.className = "secondary";
    var shown = 0;
    function showMore() {
      var first = null;
      found.slice(shown, shown + PAGE_SIZE).forEach(function (item) {
        var link = list.appendChild(result(item)).firstChild;
        first = first || link;
      });
      shown = Math.min(found.length, shown + PAGE_SIZE);
      var left = Math.min(PAGE_SIZE, found.length - shown);
      more.textContent = "Voir " + left + (left > 1 ? " trajets" : " trajet") + " de plus";
      if (!left && more.parentNode) { more.parentNode.removeChild(more); }
      return first;
    }
    showMore();
    if (shown < found.length) {
      results.appendChild(more);
      more.addEventListener("click", function () { showMore().focus(); });
    }
    communePages([origin, destination]);
  }

  function result(item) {
    var li = element("li");
    var a = li.appendChild(element("a", item.start.name + " → " + item.end.name));
    var trip = item.trip;
    a.href = root + pagePath(model.data.page_trajet, trip.id);  // IDs are [A-Za-z0-9_-] (rows.SAFE_ID)
    var when = trip.date ? trip.date.split("-").reverse().join("/") : (model.data.jours[trip.days] || "");
    var facts = [when, item.time === null ? "" : "départ à " + clock(item.time)].filter(Boolean).join(", ");
    li.appendChild(document.createTextNode((facts ? " — " + facts : "") + (item.back ? " (trajet retour)" : "")));
    return li;
  }

  /* "Voir aussi les trajets de Cahors": the commune pages of the places searched, when they have one. */
  function communePages(places) {
    var withPage = places.filter(function (place, n) { return place && place.slug && places.indexOf(place) === n; });
    if (!withPage.length) { return; }
    var p = results.appendChild(element("p", "Voir aussi tous les trajets de "));
    withPage.forEach(function (place, n) {
      if (n) { p.appendChild(document.createTextNode(" et de ")); }
      var a = p.appendChild(element("a", place.name));
      a.href = root + pagePath(model.data.page_commune, place.slug);
    });
    p.appendChild(document.createTextNode("."));
  }

  function pagePath(pattern, value) {  // [before, after]: see comobi/web/search_index.py
    return pattern[0] + value + pattern[1];
  }

  function clock(minutes) {  // comobi.parsing.format_time: 8h, 8h30
    var m = minutes % 60;
    return Math.floor(minutes / 60) + "h" + (m ? (m < 10 ? "0" : "") + m : "");
  }

  function today() {
    var now = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return now.getFullYear() + "-" + two(now.getMonth() + 1) + "-" + two(now.getDate());
  }

  /* A commune page's "Voir tous les trajets vers Cahors" comes here with ?arrivee=Cahors
     (a static host ignores the query; this script reads it and searches at once). */
  function searchAskedInAddress() {
    var given = false;
    ["depart", "arrivee"].forEach(function (name) {
      var found = new RegExp("[?&]" + name + "=([^&#]*)").exec(window.location ? window.location.search : "");
      if (found) {
        form.elements[name].value = decodeURIComponent(found[1].replace(/\+/g, " "));
        given = true;
      }
    });
    if (given) { onSubmit({ preventDefault: function () {} }); }
  }

  form.addEventListener("submit", onSubmit);
  form.addEventListener("input", load);  // typing a commune: its suggestions come with the index
  form.hidden = false;
  searchAskedInAddress();
}());
