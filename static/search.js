/* Search on a frozen site (no server). Progressive enhancement: without this script the page
   lists the communes instead. The trips (recherche.js, window.comobiSearchIndex) are fetched
   only when the visitor starts to search; they are matched and ranked here as
   comobi/matching.py does (TripIndex.ranked): tests/test_search_js.py checks they agree. */
(function () {
  "use strict";
  var EARTH_RADIUS_KM = 6371.0, KM_PER_DEGREE = 111.2, DEGREE = Math.PI / 180;
  var NO_TIME = 24 * 60, PAGE_SIZE = 20;

  // --- matching, as comobi/matching.py (keep the two in step) ----------------------

  /* The index as objects: communes {name, lat, lon, page}, trips {id, start, end, ...}. */
  function prepare(data) {
    var communes = data.communes.map(function (c) {
      return { name: c[0], lat: c[1], lon: c[2], slug: c[3] };
    });
    var trips = data.trajets.map(function (t, position) {
      return { position: position, id: t[0], start: communes[t[1]], end: communes[t[2]], outbound: t[3],
               back: t[4], days: t[5], date: t[6], dateWeekday: t[6] ? isoWeekday(t[6]) : -1, direct: -1 };
    });
    return { communes: communes, trips: trips, detourFactor: data.reglages.detour, nearKm: data.reglages.proche_km,
             data: data };
  }

  function isoWeekday(iso) {
    var parts = iso.split("-");
    return (new Date(Date.UTC(+parts[0], parts[1] - 1, +parts[2])).getUTCDay() + 6) % 7;
  }

  /* comobi.places.distance_km */
  function distanceKm(a, b) {
    var lat1 = a.lat * DEGREE, lon1 = a.lon * DEGREE, lat2 = b.lat * DEGREE, lon2 = b.lon * DEGREE;
    var h = Math.pow(Math.sin((lat2 - lat1) / 2), 2) +
      Math.cos(lat1) * Math.cos(lat2) * Math.pow(Math.sin((lon2 - lon1) / 2), 2);
    return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(h));
  }

  function km(a, b) {
    return a === b ? 0 : distanceKm(a, b);
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
  function roughlyWithin(place, middleLat, middleLon, reach) {
    var slack = reach * 1.02 + 1.0;
    if (Math.abs(place.lat - middleLat) * KM_PER_DEGREE > slack) { return false; }
    var widest = Math.max(Math.abs(place.lat), Math.abs(middleLat));
    return Math.abs(place.lon - middleLon) * (KM_PER_DEGREE * Math.cos(widest * DEGREE)) <= slack;
  }

  /* The detour (km) the passenger costs on the leg start -> end, or null when it does not
     suit: _Search._could_fit then _Search._detour. */
  function extraKm(model, query, start, end, direct) {
    var origin = query.origin, destination = query.destination, near = model.nearKm;
    var reach = Math.max(model.detourFactor * direct, direct + 2 * near) / 2;
    var middleLat = (start.lat + end.lat) / 2, middleLon = (start.lon + end.lon) / 2;
    if ((origin && !roughlyWithin(origin, middleLat, middleLon, reach)) ||
        (destination && !roughlyWithin(destination, middleLat, middleLon, reach))) { return null; }
    var pickup = origin || start, drop = destination || end;
    var toPickup = km(start, pickup), ride = km(pickup, drop), toEnd = km(drop, end);
    if (!destination && ride <= near && near < toPickup) { return null; }
    if (!origin && ride <= near && near < toEnd) { return null; }
    var path = toPickup + ride + toEnd;
    var nearEnds = toPickup <= near && toEnd <= near;
    if (path <= model.detourFactor * direct || nearEnds) { return Math.max(0, path - direct); }
    return null;
  }

  /* The trips that suit, best first, one per trip (its better leg): TripIndex.ranked.
     query: {origin, destination: communes or null, weekday: 0 (Monday)..6 or null,
     today: "YYYY-MM-DD", one-off trips before it are left out}. */
  function match(model, query) {
    var weekday = query.weekday === undefined ? null : query.weekday;
    var filters = !!(query.origin || query.destination);
    var found = [];
    model.trips.forEach(function (trip) {
      if (trip.date && query.today && trip.date < query.today) { return; }
      var sameDay = weekday !== null && runsOn(trip, weekday);
      var unknownSchedule = !trip.date && !trip.days;
      if (weekday !== null && !sameDay && !unknownSchedule) { return; }
      var legs = [{ back: false, start: trip.start, end: trip.end, time: trip.outbound }];
      if (filters && trip.back !== null) {
        legs.push({ back: true, start: trip.end, end: trip.start, time: trip.back });
      }
      var best = null;
      legs.forEach(function (leg) {
        var extra = 0;
        if (filters) {
          if (trip.direct < 0) { trip.direct = distanceKm(trip.start, trip.end); }
          extra = extraKm(model, query, leg.start, leg.end, trip.direct);
          if (extra === null) { return; }
        }
        var rounded = roundHalfEven(extra);
        if (best === null || rounded < best.rounded) {  // on a tie, the outbound leg (first)
          best = { trip: trip, back: leg.back, start: leg.start, end: leg.end, time: leg.time, extra: extra,
                   rounded: rounded, sameDay: sameDay, otherDay: weekday !== null && !sameDay };
        }
      });
      if (best) { found.push(best); }
    });
    return found.sort(function (a, b) {
      return (a.otherDay - b.otherDay) || (a.rounded - b.rounded) ||
        (leaves(a) - leaves(b)) || (a.trip.position - b.trip.position);
    });
  }

  function leaves(found) {
    return found.time === null ? NO_TIME : found.time;
  }

  window.comobiSearch = { prepare: prepare, match: match };

  // --- the page ----------------------------------------------------------------------

  var form = document.getElementById("recherche-statique");
  if (!form) { return; }
  var root = form.getAttribute("data-root") || "";
  var results = document.getElementById("resultats-statiques");
  var suggestions = document.getElementById("communes-trajets");
  var model = null, byName = {}, loading = false, waiting = false;

  function key(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/\bst\b/g, "saint").replace(/\bste\b/g, "sainte").replace(/[^a-z0-9]+/g, " ").trim();
  }

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
      byName[key(commune.name)] = commune;
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
    var origin = from ? byName[key(from)] : null, destination = to ? byName[key(to)] : null;
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
    a.href = root + (model.data.pages[trip.id] || pagePath(model.data.page_trajet, trip.id));
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

  form.addEventListener("submit", onSubmit);
  form.addEventListener("input", load);  // typing a commune: its suggestions come with the index
  form.hidden = false;
}());
