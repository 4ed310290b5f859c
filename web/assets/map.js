// Draws the overview's world map from the embedded TopoJSON (world-atlas) with d3-geo:
// each tracked country coloured by its Convention score, a click opens its page. The data
// comes from the page itself (#map-data); the heat table below holds the same figures.
(function () {
  "use strict";
  var el = document.getElementById("map");
  var dataEl = document.getElementById("map-data");
  if (!el || !dataEl || !window.d3 || !window.topojson) return;
  // ISO 3166-1 alpha-2 -> numeric, the ids world-atlas uses.
  var NUMERIC = {
    AF: 4, AL: 8, DZ: 12, AO: 24, AR: 32, AM: 51, AU: 36, AT: 40, AZ: 31, BD: 50, BY: 112, BE: 56, BJ: 204,
    BO: 68, BA: 70, BW: 72, BR: 76, BG: 100, BF: 854, BI: 108, KH: 116, CM: 120, CA: 124, CF: 140, TD: 148,
    CL: 152, CN: 156, CO: 170, CG: 178, CD: 180, CR: 188, CI: 384, HR: 191, CU: 192, CY: 196, CZ: 203, DK: 208,
    DO: 214, EC: 218, EG: 818, SV: 222, EE: 233, ET: 231, FI: 246, FR: 250, GA: 266, GE: 268, DE: 276, GH: 288,
    GR: 300, GT: 320, GN: 324, HT: 332, HN: 340, HU: 348, IS: 352, IN: 356, ID: 360, IR: 364, IQ: 368, IE: 372,
    IL: 376, IT: 380, JM: 388, JP: 392, JO: 400, KZ: 398, KE: 404, KR: 410, KP: 408, KW: 414, KG: 417, LA: 418,
    LV: 428, LB: 422, LR: 430, LY: 434, LT: 440, LU: 442, MG: 450, MW: 454, MY: 458, ML: 466, MR: 478, MX: 484,
    MD: 498, MN: 496, ME: 499, MA: 504, MZ: 508, MM: 104, NA: 516, NP: 524, NL: 528, NZ: 554, NI: 558, NE: 562,
    NG: 566, MK: 807, NO: 578, OM: 512, PK: 586, PA: 591, PG: 598, PY: 600, PE: 604, PH: 608, PL: 616, PT: 620,
    QA: 634, RO: 642, RU: 643, RW: 646, SA: 682, SN: 686, RS: 688, SL: 694, SK: 703, SI: 705, SO: 706, ZA: 710,
    SS: 728, ES: 724, LK: 144, SD: 729, SE: 752, CH: 756, SY: 760, TW: 158, TJ: 762, TZ: 834, TH: 764, TG: 768,
    TN: 788, TR: 792, TM: 795, UG: 800, UA: 804, AE: 784, GB: 826, US: 840, UY: 858, UZ: 860, VE: 862, VN: 704,
    YE: 887, ZM: 894, ZW: 716
  };
  var byNumeric = {};
  JSON.parse(dataEl.textContent).forEach(function (j) {
    if (NUMERIC[j.code] !== undefined) byNumeric[NUMERIC[j.code]] = j;
  });
  // Red (0) -> amber (0.5) -> green (1), the statuses' colours.
  function colour(score) {
    var stops = [[0, [192, 57, 43]], [0.5, [230, 162, 60]], [1, [46, 139, 87]]];
    for (var i = 1; i < stops.length; i++) {
      if (score <= stops[i][0]) {
        var a = stops[i - 1], b = stops[i], t = (score - a[0]) / (b[0] - a[0]);
        var c = a[1].map(function (v, k) { return Math.round(v + (b[1][k] - v) * t); });
        return "rgb(" + c.join(",") + ")";
      }
    }
    return "rgb(46,139,87)";
  }
  var ns = "http://www.w3.org/2000/svg";
  fetch(el.getAttribute("data-topology")).then(function (r) { return r.json(); }).then(function (topo) {
    var land = topojson.feature(topo, topo.objects.countries);
    var width = 960, height = 480;
    var projection = d3.geoNaturalEarth1().fitSize([width, height], { type: "Sphere" });
    var path = d3.geoPath(projection);
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    svg.setAttribute("class", "world");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "World map of Convention scores");
    var sphere = document.createElementNS(ns, "path");
    sphere.setAttribute("d", path({ type: "Sphere" }));
    sphere.setAttribute("class", "sphere");
    svg.appendChild(sphere);
    land.features.forEach(function (f) {
      var p = document.createElementNS(ns, "path");
      p.setAttribute("d", path(f) || "");
      var j = byNumeric[Number(f.id)];
      var title = document.createElementNS(ns, "title");
      if (j) {
        var tracked = typeof j.score === "number";
        // Not assessed (no drug law held, no rules for its language): grey, not the red of 0.
        var apart = typeof j.not_assessed === "string";
        p.setAttribute("class", "country tracked" + (apart ? " not-assessed" : ""));
        p.setAttribute("data-code", j.code);
        // Through the CSSOM (allowed by the CSP, unlike style attributes), so the colour
        // wins over the stylesheet's default country fill.
        if (!apart) p.style.fill = tracked ? colour(j.score) : "#9aa5b1";
        p.setAttribute("tabindex", "0");
        title.textContent = j.name + (apart ? ": not assessed (" + j.not_assessed + ")"
                                            : tracked ? ": score " + j.score.toFixed(2) : ": not analysed");
        var go = function () { window.location.href = "/jurisdictions/" + encodeURIComponent(j.code); };
        p.addEventListener("click", go);
        p.addEventListener("keydown", function (e) { if (e.key === "Enter") go(); });
      } else {
        p.setAttribute("class", "country");
        title.textContent = (f.properties && f.properties.name) || "";
      }
      p.appendChild(title);
      svg.appendChild(p);
    });
    el.textContent = "";
    el.appendChild(svg);
    el.classList.add("drawn");
  }).catch(function (e) {
    el.textContent = "The map could not be drawn (" + e + "); the table below has the scores.";
  });
})();
