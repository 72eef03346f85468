/* kg view: filters, tooltips, side panel and search over the vis-network drawn above.
   Every string from the data goes into the page with textContent (or an option's value),
   never as markup. The formulas for node size, edge width and colour are those of kg/views.py
   and kg/analysis.py. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("kg-data").textContent);
  var A = D.actors, E = D.events, N = A.length;
  // event fields
  var AG = 0, TG = 1, REL = 2, CODE = 3, ETYPE = 4, QUAD = 5, GOLD = 6, DATE = 7, MOD = 8, ART = 9, REP = 10, SENT = 11;
  var $ = function (id) { return document.getElementById(id); };
  var timings = window.kgTimings = {start: performance.now()};

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function nodeSize(activity) { return Math.round(Math.min(60, 8 + 5 * Math.log2(1 + activity)) * 100) / 100; }
  function labelSize(activity) { return pyRound(Math.min(40, 16 + 3 * Math.log2(1 + activity))); }
  function edgeWidth(count) { return Math.round(Math.min(14, 1 + 1.6 * Math.log2(count)) * 100) / 100; }
  function hex2(v) { var s = v.toString(16); return s.length < 2 ? "0" + s : s; }
  function goldsteinColour(score) {
    var grey = [158, 158, 158], red = [214, 39, 40], green = [44, 160, 44];
    var t = Math.max(-1, Math.min(1, score / 10));
    t = Math.pow(Math.abs(t), 0.6) * (t >= 0 ? 1 : -1);
    var end = t >= 0 ? green : red, out = "#";
    for (var i = 0; i < 3; i++) out += hex2(pyRound(grey[i] + (end[i] - grey[i]) * Math.abs(t)));
    return out;
  }
  function pyRound(x) {  // Python's round(): halves to even
    var r = Math.round(x);
    if (Math.abs(x % 1) === 0.5 && r % 2 !== 0) r -= 1;
    return r;
  }
  function signed(x) { return (x >= 0 ? "+" : "") + x.toFixed(1); }

  // ---- the controls, built from the data ----
  var months = [], monthSet = {}, types = {}, countries = {}, modalities = {};
  for (var i = 0; i < E.length; i++) {
    var d = E[i][DATE];
    if (d.length >= 7 && !monthSet[d.slice(0, 7)]) { monthSet[d.slice(0, 7)] = 1; months.push(d.slice(0, 7)); }
    if (d.length === 4 && !monthSet[d + "-01"]) { monthSet[d + "-01"] = 1; months.push(d + "-01"); }
    modalities[E[i][MOD]] = 1;
  }
  months.sort();
  for (i = 0; i < N; i++) { types[A[i][1]] = 1; if (A[i][2]) countries[A[i][2]] = 1; }

  function checkbox(container, value, text, swatch) {
    var label = el("label"), box = el("input");
    box.type = "checkbox"; box.checked = true; box.value = value;
    label.appendChild(box);
    if (swatch) label.appendChild(swatch);
    label.appendChild(document.createTextNode(" " + text));
    container.appendChild(label);
    return box;
  }
  var SHAPE_SIGN = {dot: "\u25cf", diamond: "\u25c6", square: "\u25a0", triangle: "\u25b2", star: "\u2605",
                    triangleDown: "\u25bc"};
  function swatchOf(type) {
    var st = D.styles[type] || D.otherStyle, s = el("span", SHAPE_SIGN[st[0]] || "\u25cf", "swatch");
    s.style.color = st[1];
    return s;
  }
  $("kg-title").textContent = D.title;
  D.quads.forEach(function (q) { checkbox($("kg-quads"), q[0], q[1]); });
  D.roots.forEach(function (r) { checkbox($("kg-roots"), r[0], r[0] + " " + r[1]); });
  Object.keys(modalities).sort().forEach(function (m) { checkbox($("kg-modalities"), m, m); });
  Object.keys(types).sort().forEach(function (t) { checkbox($("kg-types"), t, t, swatchOf(t)); });
  Object.keys(D.styles).concat(["other"]).forEach(function (t) {
    var row = el("div"); row.appendChild(swatchOf(t)); row.appendChild(document.createTextNode(t));
    $("kg-legend-types").appendChild(row);
  });
  Object.keys(countries).sort().forEach(function (c) {
    var o = el("option", c); o.value = c; $("kg-country").appendChild(o);
  });
  var byLabel = {}, suggestions = [];
  for (i = 0; i < N; i++) {
    var key = A[i][0].toLowerCase();
    if (!(key in byLabel)) { byLabel[key] = i; suggestions.push(A[i][0]); }
  }
  // the search box's suggestions, made when it is first used: 10,000 options cost 50 ms at load
  $("kg-search").addEventListener("focus", function () {
    var list = $("kg-actor-list");
    suggestions.forEach(function (label) { var o = el("option"); o.value = label; list.appendChild(o); });
    suggestions = [];
  }, {once: true});
  var from = $("kg-from"), to = $("kg-to");
  from.max = to.max = String(Math.max(0, months.length - 1));
  from.value = "0"; to.value = String(Math.max(0, months.length - 1));
  if (!months.length) { from.disabled = to.disabled = true; }

  function checked(id) {
    var out = {};
    $(id).querySelectorAll("input").forEach(function (b) { if (b.checked) out[b.value] = 1; });
    return out;
  }
  function readFilters() {
    var lo = months[+from.value] || "", hi = months[+to.value] || "";
    $("kg-from-label").textContent = lo; $("kg-to-label").textContent = hi;
    return {lo: lo, hi: hi, all: +from.value === 0 && +to.value === months.length - 1,
            undated: $("kg-undated").checked, quads: checked("kg-quads"), roots: checked("kg-roots"),
            modalities: checked("kg-modalities"), types: checked("kg-types"), country: $("kg-country").value,
            min: Math.max(1, parseInt($("kg-min").value, 10) || 1)};
  }
  function datePasses(d, f) {
    if (!d) return f.undated;
    if (f.all) return true;
    if (d.length === 4) return d >= f.lo.slice(0, 4) && d <= f.hi.slice(0, 4);
    var m = d.slice(0, 7);
    return m >= f.lo && m <= f.hi;
  }

  // ---- filtering and aggregation ----
  // The events that pass the filters `f`, by directed pair ("agent>target": events, Goldstein sum,
  // any asserted) and, for events with no target, by actor; each actor's events and whether it shows.
  function aggregate(f) {
    var nodeOk = new Array(N);
    for (var n = 0; n < N; n++) nodeOk[n] = !!f.types[A[n][1]];
    var pairs = {}, solo = new Array(N).fill(0);
    for (var i = 0; i < E.length; i++) {
      var e = E[i], a = e[AG], t = e[TG];
      if (!f.quads[e[QUAD]] || !f.roots[e[CODE].slice(0, 2)] || !f.modalities[e[MOD]] || !datePasses(e[DATE], f)) continue;
      if (!nodeOk[a] || (t >= 0 && !nodeOk[t])) continue;
      if (f.country && A[a][2] !== f.country && (t < 0 || A[t][2] !== f.country)) continue;
      if (t < 0) { solo[a] += 1; continue; }
      var k = a + ">" + t, p = pairs[k];
      if (!p) p = pairs[k] = {a: a, t: t, n: 0, g: 0, asserted: false, events: []};
      p.n += 1; p.g += e[GOLD]; p.asserted = p.asserted || e[MOD] === "asserted"; p.events.push(i);
    }
    var activity = solo.slice(), visible = new Array(N).fill(false), edgesShown = 0;
    for (var key in pairs) {
      p = pairs[key];
      if (p.n < f.min) { delete pairs[key]; continue; }
      activity[p.a] += p.n; if (p.t !== p.a) activity[p.t] += p.n;
      visible[p.a] = visible[p.t] = true;
      edgesShown += 1;
    }
    for (n = 0; n < N; n++) if (solo[n] > 0) visible[n] = true;
    return {filters: f, pairs: pairs, solo: solo, activity: activity, visible: visible, edgesShown: edgesShown};
  }

  var state = {pairs: {}, activity: new Array(N), nodeVisible: new Array(N), shown: 0, edgesShown: 0};
  function commit(r) {
    var shownNodes = 0, total = 0;
    for (var n = 0; n < N; n++) { if (r.visible[n]) shownNodes += 1; total += r.solo[n]; }
    for (var k in r.pairs) total += r.pairs[k].n;
    state.pairs = r.pairs; state.activity = r.activity; state.nodeVisible = r.visible; state.solo = r.solo;
    state.filters = r.filters; state.shown = shownNodes; state.edgesShown = r.edgesShown;
    $("kg-counts").textContent = shownNodes + " of " + N + " actors, " + r.edgesShown + " pairs, " + total + " of "
      + E.length + " events";
    return {nodes: shownNodes, edges: r.edgesShown, events: total};
  }

  // ---- the network: its node and edge lists made here from the first aggregation (the page
  // carries the events once, not also 60,000 option objects for the browser to parse) ----
  timings.controls = performance.now();
  var first = aggregate(readFilters()), nodeItems = new Array(N), edgeItems = [];
  timings.aggregated = performance.now();
  var drawn = {nodes: new Array(N), edges: {}};  // what vis-network holds now
  for (var n = 0; n < N; n++) {
    var st = D.styles[A[n][1]] || D.otherStyle, size = nodeSize(first.activity[n]);
    nodeItems[n] = {id: n, label: A[n][0], shape: st[0], color: st[1], x: D.xy[2 * n], y: D.xy[2 * n + 1],
                    size: size, font: {size: labelSize(first.activity[n])}};
    if (!first.visible[n]) nodeItems[n].hidden = true;
    drawn.nodes[n] = {size: size, hidden: !first.visible[n]};
  }
  for (var k in first.pairs) {
    var p = first.pairs[k], item = {id: k, from: p.a, to: p.t, width: edgeWidth(p.n), color: goldsteinColour(p.g / p.n)};
    if (!p.asserted) item.dashes = true;
    edgeItems.push(item);
    drawn.edges[k] = {width: item.width, color: item.color, dashes: !p.asserted, hidden: false};
  }
  timings.items = performance.now();
  var nodes = window.nodes = new vis.DataSet(nodeItems);
  var edges = window.edges = new vis.DataSet(edgeItems);
  nodeItems = edgeItems = null;
  var network = window.network = new vis.Network($("mynetwork"), {nodes: nodes, edges: edges}, D.options);
  window.kgMarks.network = performance.now();
  commit(first);
  first = null;

  function applyFilters() {
    var t0 = performance.now(), r = aggregate(readFilters()), pairs = r.pairs, visible = r.visible;
    var edgeUpdates = [];
    for (var id in drawn.edges) {
      var p = pairs[id], cur = drawn.edges[id], want;
      if (p) want = {width: edgeWidth(p.n), color: goldsteinColour(p.g / p.n), dashes: !p.asserted, hidden: false};
      else want = {width: cur.width, color: cur.color, dashes: cur.dashes, hidden: true};
      if (want.width !== cur.width || want.color !== cur.color || want.dashes !== cur.dashes || want.hidden !== cur.hidden) {
        drawn.edges[id] = want;
        edgeUpdates.push({id: id, width: want.width, color: want.color, dashes: want.dashes, hidden: want.hidden});
      }
    }
    var nodeUpdates = [];
    for (var n = 0; n < N; n++) {
      var cur = drawn.nodes[n], size = visible[n] ? nodeSize(r.activity[n]) : cur.size;
      if (cur.size !== size || cur.hidden !== !visible[n]) {
        drawn.nodes[n] = {size: size, hidden: !visible[n]};
        nodeUpdates.push({id: n, size: size, hidden: !visible[n]});
      }
    }
    // Straight onto vis-network's own node and edge objects, then its index of visible items: the
    // DataSets' update() would do the same per item, but then rescans every item (2 s at 50,000 edges).
    nodeUpdates.forEach(function (u) { network.body.nodes[u.id].setOptions({size: u.size, hidden: u.hidden}); });
    edgeUpdates.forEach(function (u) {
      network.body.edges[u.id].setOptions({width: u.width, color: u.color, dashes: u.dashes, hidden: u.hidden});
    });
    if (nodeUpdates.length || edgeUpdates.length) { network._updateVisibleIndices(); network.redraw(); }
    var counts = commit(r);
    timings.lastFilterMs = performance.now() - t0;
    if (panelFor) openPanel(panelFor);
    return counts;
  }

  // ---- events of a node or an edge, for the tooltip and the panel ----
  function eventsOfEdge(id) { var p = state.pairs[id]; return p ? p.events.slice() : []; }
  function eventsOfNode(n) {
    var out = [];
    Object.keys(state.pairs).forEach(function (k) {
      var p = state.pairs[k], e0 = E[p.events[0]];
      if (e0[AG] === n || e0[TG] === n) out = out.concat(p.events);
    });
    if (state.solo[n] > 0) {
      for (var i = 0; i < E.length; i++) if (E[i][AG] === n && E[i][TG] < 0 && soloPasses(i)) out.push(i);
    }
    return out;
  }
  function soloPasses(i) {
    var e = E[i], f = state.filters;
    return f.quads[e[QUAD]] && f.roots[e[CODE].slice(0, 2)] && f.modalities[e[MOD]] && datePasses(e[DATE], f)
      && f.types[A[e[AG]][1]] && (!f.country || A[e[AG]][2] === f.country);
  }
  function byDateDesc(list) {
    return list.sort(function (x, y) {
      var dx = E[x][DATE], dy = E[y][DATE];
      return dx < dy ? 1 : dx > dy ? -1 : x - y;
    });
  }
  function relationCounts(list) {
    var c = {};
    list.forEach(function (i) { var r = D.relations[E[i][REL]]; c[r] = (c[r] || 0) + 1; });
    return Object.keys(c).sort(function (x, y) { return c[y] - c[x] || (x < y ? -1 : 1); })
      .map(function (r) { return [r, c[r]]; });
  }
  function meanGoldstein(list) {
    var s = 0; list.forEach(function (i) { s += E[i][GOLD]; }); return list.length ? s / list.length : 0;
  }
  function clip(s, n) { return s.length > n ? s.slice(0, n - 1) + "\u2026" : s; }

  function describe(kind, id) {
    if (kind === "edge") {
      var parts = id.split(">"), a = +parts[0], t = +parts[1];
      return {title: A[a][0] + " \u2192 " + A[t][0], events: eventsOfEdge(id)};
    }
    var c = A[id][2] ? " (" + A[id][2] + ")" : "";
    return {title: A[id][0] + " \u2014 " + A[id][1] + c, events: eventsOfNode(+id)};
  }

  // ---- tooltip ----
  var tip = $("kg-tip");
  function showTip(kind, id, pointer) {
    var info = describe(kind, id), list = byDateDesc(info.events);
    tip.replaceChildren();
    tip.appendChild(el("b", info.title));
    tip.appendChild(el("div", list.length + " event" + (list.length === 1 ? "" : "s") + " \u00b7 mean Goldstein "
      + signed(meanGoldstein(list))));
    var rels = relationCounts(list).slice(0, 4).map(function (r) { return r[0] + " \u00d7" + r[1]; }).join(", ");
    if (rels) tip.appendChild(el("div", "top relations: " + rels));
    list.slice(0, 3).forEach(function (i) {
      var e = E[i];
      tip.appendChild(el("div", (e[DATE] || "undated") + " \u00b7 " + D.articles[e[ART]] + ": \u201c"
        + clip(e[SENT][0], 200) + "\u201d", "tip-sentence"));
    });
    tip.hidden = false;
    var box = $("mynetwork").getBoundingClientRect();
    tip.style.left = Math.min(box.left + pointer.x + 14, window.innerWidth - 430) + "px";
    tip.style.top = (box.top + pointer.y + 14) + "px";
  }
  function hideTip() { tip.hidden = true; }
  network.on("hoverNode", function (p) { showTip("node", p.node, p.pointer.DOM); });
  network.on("hoverEdge", function (p) { showTip("edge", p.edge, p.pointer.DOM); });
  network.on("blurNode", hideTip);
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);

  // ---- side panel ----
  var panelFor = null, LIMIT = 400;
  function openPanel(target) {
    panelFor = target;
    var info = describe(target.kind, target.id), list = byDateDesc(info.events);
    showPanel(true);
    $("panel-title").textContent = info.title;
    $("panel-summary").textContent = list.length + " event" + (list.length === 1 ? "" : "s")
      + " under the current filters \u00b7 mean Goldstein " + signed(meanGoldstein(list));
    var ol = $("panel-events");
    ol.replaceChildren();
    list.slice(0, LIMIT).forEach(function (i) {
      var e = E[i], li = el("li");
      var who = A[e[AG]][0] + " \u2192 " + (e[TG] >= 0 ? A[e[TG]][0] : "(no target)");
      li.appendChild(el("div", (e[DATE] || "undated") + " \u00b7 " + D.relations[e[REL]] + " \u00b7 CAMEO " + e[CODE]
        + " " + D.eventTypes[e[ETYPE]] + " \u00b7 " + e[MOD], "meta"));
      li.appendChild(el("div", who + (e[REP] ? " \u00b7 reported by " + e[REP] : ""), "meta"));
      e[SENT].forEach(function (s) { li.appendChild(el("p", "\u201c" + s + "\u201d", "sentence")); });
      li.appendChild(el("div", "article " + D.articles[e[ART]], "meta article"));
      ol.appendChild(li);
    });
    if (list.length > LIMIT) ol.appendChild(el("li", "\u2026 and " + (list.length - LIMIT) + " more", "meta"));
  }
  function closePanel() { panelFor = null; showPanel(false); }
  // The panel narrows or widens the canvas: vis-network takes its new size now, not on the next resize
  // callback, so the graph never shifts under the pointer after it was drawn.
  function showPanel(shown) {
    if ($("panel").hidden !== shown) return;
    $("panel").hidden = !shown;
    network.redraw();
  }
  $("kg-close").addEventListener("click", closePanel);
  network.on("click", function (p) {
    hideTip();
    if (p.nodes.length) openPanel({kind: "node", id: p.nodes[0]});
    else if (p.edges.length) openPanel({kind: "edge", id: p.edges[0]});
    else closePanel();
  });

  // ---- search ----
  function findActor(text) {
    var q = text.trim().toLowerCase();
    if (!q) return -1;
    if (q in byLabel) return byLabel[q];
    for (var n = 0; n < N; n++) if (A[n][0].toLowerCase().indexOf(q) >= 0) return n;
    return -1;
  }
  function search() {
    var n = findActor($("kg-search").value), note = $("kg-search-note");
    if (n < 0) { note.textContent = "no actor of that name"; return; }
    if (!state.nodeVisible[n]) { note.textContent = A[n][0] + " is hidden by the filters"; return; }
    note.textContent = "";
    openPanel({kind: "node", id: n});
    network.selectNodes([n]);
    network.focus(n, {scale: Math.max(network.getScale(), 1.0), animation: false});
  }
  $("kg-search").addEventListener("change", search);
  $("kg-search").addEventListener("keydown", function (ev) { if (ev.key === "Enter") search(); });

  // ---- wiring ----
  var pending = null;
  function schedule() {
    if (+from.value > +to.value) { if (this === from) to.value = from.value; else from.value = to.value; }
    if (pending) clearTimeout(pending);
    pending = setTimeout(function () { pending = null; applyFilters(); }, 30);
  }
  ["kg-quads", "kg-roots", "kg-modalities", "kg-types"].forEach(function (id) { $(id).addEventListener("change", schedule); });
  [from, to].forEach(function (r) { r.addEventListener("input", schedule); });
  ["kg-undated", "kg-country", "kg-min"].forEach(function (id) { $(id).addEventListener("change", schedule); });
  $("kg-reset").addEventListener("click", function () {
    document.querySelectorAll("#filters input[type=checkbox]").forEach(function (b) { b.checked = true; });
    from.value = "0"; to.value = String(Math.max(0, months.length - 1));
    $("kg-country").value = ""; $("kg-min").value = "1";
    applyFilters();
  });
  network.once("afterDrawing", function () {
    timings.firstDraw = performance.now();
    window.kgReady = true;
  });
  timings.ready = performance.now();
  window.kg = {applyFilters: applyFilters, state: state, openPanel: openPanel, findActor: findActor,
               nodeSize: nodeSize, labelSize: labelSize, edgeWidth: edgeWidth, goldsteinColour: goldsteinColour,
               visibleEdges: function () { return network.body.edgeIndices.slice(); },
               visibleNodes: function () { return network.body.nodeIndices.slice(); }};
})();
