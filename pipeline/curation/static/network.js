/* biomine review workbench: the network of accepted and undecided triples, drawn with Cytoscape.js
   (static/vendor/cytoscape.min.js). Labels are drawn on the canvas by Cytoscape, never parsed as HTML. */
(function () {
  "use strict";

  var container = document.getElementById("cy");
  var info = document.getElementById("net-info");
  var hover = document.getElementById("net-hover");
  var undecided = document.getElementById("undecided");
  var limit = document.getElementById("limit");
  var boxes = Array.prototype.slice.call(document.querySelectorAll('.net-controls input[name="relation"]'));
  var cy = null;
  var request = 0;

  function query() {
    var p = new URLSearchParams();
    p.set("filter", "1");
    boxes.forEach(function (b) { if (b.checked) { p.append("relation", b.value); } });
    p.set("undecided", undecided.checked ? "1" : "0");
    p.set("limit", limit.value);
    return p.toString();
  }

  var STYLE = [
    { selector: "node", style: {
      "background-color": "data(color)", "label": "data(label)", "font-size": 11, "text-valign": "bottom",
      "text-margin-y": 3, "text-wrap": "ellipsis", "text-max-width": 140, "border-width": 1, "border-color": "#555",
      "width": "mapData(degree, 1, 20, 16, 44)", "height": "mapData(degree, 1, 20, 16, 44)",
      "text-background-color": "#ffffff", "text-background-opacity": 0.7, "text-background-padding": 1,
      "min-zoomed-font-size": 7 } },
    { selector: "node[?grounded]", style: { "border-width": 2, "border-color": "#222" } },
    { selector: "node[!grounded]", style: { "border-style": "dashed" } },
    { selector: "edge", style: {
      "line-color": "data(color)", "target-arrow-color": "data(color)", "target-arrow-shape": "triangle",
      "curve-style": "bezier", "width": "mapData(n, 1, 20, 1.5, 8)", "opacity": 0.85, "arrow-scale": 0.9 } },
    { selector: "edge[accepted = 0]", style: { "line-style": "dashed", "opacity": 0.6 } },
    { selector: "edge.hover", style: { "label": "data(label)", "font-size": 10, "text-rotation": "autorotate",
      "text-background-color": "#ffffff", "text-background-opacity": 0.9, "opacity": 1, "z-index": 10 } },
    { selector: "node.hover", style: { "border-width": 3, "border-color": "#2f6fde", "z-index": 10 } }
  ];

  function describe(target) {
    if (target.isEdge()) {
      var d = target.data();
      var s = target.source().data("label"), o = target.target().data("label");
      return s + " \u2014 " + d.label + " \u2192 " + o + ": " + d.n + " mention" + (d.n === 1 ? "" : "s") +
        ", " + d.accepted + " accepted. Click for the evidence.";
    }
    var n = target.data();
    return n.label + " (" + (n.type || "?") + ", " + (n.grounded ? n.id : "ungrounded") + "): " + n.degree +
      " edge" + (n.degree === 1 ? "" : "s") + ". Click for its triples.";
  }

  function draw(data) {
    if (cy) { cy.destroy(); }
    var elements = data.nodes.map(function (n) { return { group: "nodes", data: n }; })
      .concat(data.edges.map(function (e) { return { group: "edges", data: e }; }));
    var big = data.nodes.length > 600;
    cy = window.cytoscape({
      container: container,
      elements: elements,
      style: STYLE,
      layout: big ? { name: "concentric", animate: false, minNodeSpacing: 6,
                      concentric: function (node) { return node.degree(); }, levelWidth: function () { return 2; } }
                  : { name: "cose", animate: false, randomize: true, nodeDimensionsIncludeLabels: true,
                      nodeRepulsion: function () { return 400000; }, nodeOverlap: 20, gravity: 0.2,
                      idealEdgeLength: function (edge) {  // longer spokes around hubs, so their neighbours fit
                        return 60 + 12 * Math.min(20, Math.max(edge.source().degree(), edge.target().degree()));
                      },
                      numIter: 2500, padding: 20 },
      minZoom: 0.05,
      maxZoom: 4
    });
    if (cy.zoom() > 1.5) { cy.zoom(1.5); cy.center(); }
    cy.on("tap", "edge, node", function (ev) {
      var href = ev.target.data("href");
      if (href) { window.location.href = href; }
    });
    cy.on("mouseover", "edge, node", function (ev) { ev.target.addClass("hover"); hover.textContent = describe(ev.target); });
    cy.on("mouseout", "edge, node", function (ev) { ev.target.removeClass("hover"); });
    container.setAttribute("data-nodes", String(cy.nodes().length));
    container.setAttribute("data-edges", String(cy.edges().length));
    window.biomineCy = cy;
    var shown = data.edges.length;
    info.textContent = shown === 0 ? "No triple to draw with these settings." :
      data.nodes.length + " entities, " + shown + " edges" +
      (data.total_edges > shown ? " (the " + shown + " best supported of " + data.total_edges + ")" : "") + ".";
  }

  function load() {
    var mine = ++request;
    info.textContent = "loading\u2026";
    window.fetch("/api/network?" + query(), { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (data) { if (mine === request) { draw(data); } })
      .catch(function (err) { info.textContent = "could not load the network: " + err.message; });
  }

  boxes.forEach(function (b) { b.addEventListener("change", load); });
  undecided.addEventListener("change", load);
  limit.addEventListener("change", load);
  document.getElementById("rel-all").addEventListener("click", function () { boxes.forEach(function (b) { b.checked = true; }); load(); });
  document.getElementById("rel-none").addEventListener("click", function () { boxes.forEach(function (b) { b.checked = false; }); load(); });
  function zoom(f) {
    if (!cy) { return; }
    cy.zoom({ level: cy.zoom() * f, renderedPosition: { x: container.clientWidth / 2, y: container.clientHeight / 2 } });
  }
  document.getElementById("zoom-in").addEventListener("click", function () { zoom(1.25); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoom(0.8); });
  document.getElementById("fit").addEventListener("click", function () { if (cy) { cy.fit(undefined, 20); } });
  load();
})();
