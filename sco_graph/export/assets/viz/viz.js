// The page of `sco-graph viz`: draws the embedded graph with vis-network and
// explains whatever is clicked in the side panel.
//
// Labels and sentences come from press texts, so text reaches the page only
// as text nodes (the `el` helper) and never as HTML.
(function () {
  "use strict";

  const ARTICLE = "Article";
  const MENTIONS = "mentions";
  const WIKIDATA = "https://www.wikidata.org/wiki/";
  const LABEL_LENGTH = 34; // longer names are cut on the canvas; the panel has them whole
  const FOCUS_SCALE = 1.1; // zoom after a search: every name readable

  const FACT_COLOUR = { color: "#8c959f", highlight: "#1f2328", hover: "#424a53" };
  const MENTION_COLOUR = { color: "#c5cad1", highlight: "#57606a", hover: "#8c959f" };
  const DIMMED = 0.2; // opacity of what is not around the selection
  const ENTITY_FONT = { color: "#1f2328", strokeColor: "#ffffff" };
  const ARTICLE_FONT = { size: 12, color: "#57606a", strokeColor: "#ffffff" };
  const EDGE_FONT = { color: "#424a53", strokeColor: "#ffffff" };
  const NO_FONT = { color: "rgba(0,0,0,0)", strokeColor: "rgba(0,0,0,0)" };

  const data = JSON.parse(document.getElementById("graph-data").textContent);
  const nodesById = new Map(data.nodes.map((n) => [n.id, n]));
  const colours = new Map(data.types.map((t) => [t.name, t.colour]));
  const facts = data.edges.filter((e) => e.predicate !== MENTIONS);
  const mentions = data.edges.filter((e) => e.predicate === MENTIONS);
  const entityCount = data.nodes.filter((n) => n.type !== ARTICLE).length;

  // Articles are hubs that would hide the facts; without facts they are the only lines.
  const shown = new Set(data.types.map((t) => t.name));
  if (facts.length > 0) shown.delete(ARTICLE);

  // -- small helpers ---------------------------------------------------------------

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props || {})) {
      if (name === "onclick") node.addEventListener("click", value);
      else if (name === "style") Object.assign(node.style, value);
      else node[name] = value;
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false || child === "") continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many || one + "s");
  }

  function short(text) {
    return text.length > LABEL_LENGTH ? text.slice(0, LABEL_LENGTH - 1).trimEnd() + "…" : text;
  }

  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function colourOf(type) {
    return colours.get(type) || "#c7c7c7";
  }

  function swatch(type) {
    return el("span", { className: type === ARTICLE ? "swatch square" : "swatch", style: { background: colourOf(type) } });
  }

  function factLabel(fact) {
    const detail = fact.role || fact.status;
    return detail ? fact.predicate + " (" + detail + ")" : fact.predicate;
  }

  function dated(id) {
    const node = nodesById.get(id);
    return node && node.date ? " (" + node.date + ")" : "";
  }

  // -- what to draw ---------------------------------------------------------------------

  // One line per (subject, relation, object); its facts are the evidence for it.
  const lines = new Map();
  for (const fact of facts) {
    const key = [fact.from, fact.to, fact.predicate, fact.role, fact.status].join("\u0000");
    if (!lines.has(key)) lines.set(key, { id: "fact:" + lines.size, facts: [] });
    lines.get(key).facts.push(fact);
  }
  const factsByLine = new Map([...lines.values()].map((line) => [line.id, line.facts]));
  const mentionByLine = new Map(mentions.map((m, i) => ["mention:" + i, m]));

  // Lines between the same two nodes bend apart instead of lying on top of each other.
  const pairs = new Map();
  const drawnEdges = [];
  for (const [id, group] of factsByLine) {
    const first = group[0];
    const pair = [first.from, first.to].sort().join("\u0000");
    const index = pairs.get(pair) || 0;
    pairs.set(pair, index + 1);
    drawnEdges.push({
      id: id,
      from: first.from,
      to: first.to,
      label: factLabel(first) + (group.length > 1 ? " ×" + group.length : ""),
      smooth: index === 0 ? false
        : { type: index % 2 ? "curvedCW" : "curvedCCW", roundness: 0.25 * Math.ceil(index / 2) },
    });
  }
  for (const [id, mention] of mentionByLine) {
    drawnEdges.push({
      id: id, from: mention.from, to: mention.to, color: MENTION_COLOUR,
      dashes: [2, 4], width: 1, arrows: { to: { enabled: false } },
    });
  }

  function edgeColour(edge) {
    return mentionByLine.has(edge.id) ? MENTION_COLOUR : FACT_COLOUR;
  }

  function edgeHidden(edge) {
    return !shown.has(nodesById.get(edge.from).type) || !shown.has(nodesById.get(edge.to).type);
  }

  function nodeLook(node) {
    const colour = colourOf(node.type);
    return {
      id: node.id,
      color: { background: colour, border: "#ffffff", highlight: { background: colour, border: "#1f2328" },
        hover: { background: colour, border: "#1f2328" } },
      font: node.type === ARTICLE ? ARTICLE_FONT : ENTITY_FONT,
    };
  }

  function tooltip(node) {
    return el("div", {}, el("strong", {}, node.label), " · " + node.type +
      (node.type === ARTICLE ? "" : " · " + plural(node.mentions, "mention")));
  }

  function visNode(node) {
    const drawn = Object.assign(nodeLook(node), {
      label: short(node.label),
      title: tooltip(node),
      shape: "dot",
      value: Math.max(node.mentions, 1),
      hidden: !shown.has(node.type),
    });
    if (node.type === ARTICLE) {
      // An article counts all its mentions, not comparable with an entity's: a fixed size.
      delete drawn.value;
      Object.assign(drawn, { shape: "square", size: 9 });
    }
    return drawn;
  }

  const visNodes = new vis.DataSet(data.nodes.map(visNode));
  const visEdges = new vis.DataSet(drawnEdges.map((e) => Object.assign({ hidden: edgeHidden(e) }, e)));

  const network = new vis.Network(document.getElementById("graph"), { nodes: visNodes, edges: visEdges }, {
    layout: { randomSeed: 7, improvedLayout: data.nodes.length < 150 },
    physics: {
      solver: "forceAtlas2Based",
      // Lines that carry a relation's name need room for it.
      forceAtlas2Based: { gravitationalConstant: facts.length ? -160 : -90, centralGravity: 0.015,
        springLength: facts.length ? 170 : 90, springConstant: 0.05, avoidOverlap: 1 },
      stabilization: { enabled: true, iterations: 700, updateInterval: 50, fit: true },
    },
    nodes: {
      borderWidth: 1.5,
      font: { size: 15, face: "system-ui, sans-serif", strokeWidth: 4, ...ENTITY_FONT },
      // By logarithm: a few entities are named a hundred times, most of them once.
      scaling: {
        min: 6, max: 30,
        customScalingFunction: (min, max, total, value) =>
          max === min ? 0.5 : Math.log(value / min) / Math.log(max / min),
        // Zoomed out, only the names of the most mentioned are drawn; the rest appear on zooming in.
        label: { enabled: true, min: 12, max: 26, drawThreshold: 9 },
      },
    },
    edges: {
      arrows: { to: { enabled: true, scaleFactor: 0.55 } },
      color: FACT_COLOUR,
      width: 1.6,
      selectionWidth: 1.5,
      font: { size: 12, face: "system-ui, sans-serif", strokeWidth: 4, align: "horizontal", ...EDGE_FONT },
      smooth: { type: "continuous" },
    },
    interaction: { hover: true, tooltipDelay: 250, multiselect: false },
  });

  // Lay out, then hold still: a picture that keeps moving cannot be read.
  // data-ready tells a test (or a screenshot) that the picture is settled.
  network.on("stabilizationIterationsDone", () => {
    network.setOptions({ physics: { enabled: false } });
    network.fit();
    document.body.dataset.ready = "true";
  });

  function relayout() {
    document.body.dataset.ready = "false";
    network.setOptions({ physics: { enabled: true } });
    network.stabilize(400);
  }

  // -- header, legend and filters ----------------------------------------------------

  document.getElementById("stats").textContent = [
    plural(entityCount, "entity", "entities"), plural(facts.length, "fact"),
    plural(data.nodes.length - entityCount, "article"),
  ].join(" · ");

  const filterBoxes = new Map();
  const filters = document.getElementById("filters");
  for (const type of data.types) {
    const box = el("input", { type: "checkbox", checked: shown.has(type.name), value: type.name });
    box.addEventListener("change", () => setShown(type.name, box.checked));
    filterBoxes.set(type.name, box);
    filters.append(el("label", { className: "filter" }, box, swatch(type.name),
      type.name === ARTICLE ? "Articles" : type.name, el("span", { className: "count" }, "(" + type.count + ")")));
  }
  if (data.nodes.length > 0) {
    filters.append(el("span", { className: "hint" }, facts.length
      ? "Lines are facts: click one for its evidence."
      : "No facts in this graph yet: the dashed lines show which article mentions which entity."));
  }

  function setShown(type, visible) {
    if (visible) shown.add(type);
    else shown.delete(type);
    filterBoxes.get(type).checked = visible;
    visNodes.update(data.nodes.filter((n) => n.type === type).map((n) => ({ id: n.id, hidden: !visible })));
    visEdges.update(drawnEdges.map((e) => ({ id: e.id, hidden: edgeHidden(e) })));
    relayout();
  }

  // -- search -------------------------------------------------------------------------

  const candidates = data.nodes.filter((n) => n.type !== ARTICLE)
    .sort((a, b) => b.mentions - a.mentions || a.label.localeCompare(b.label));
  const names = document.getElementById("names");
  for (const label of [...new Set(candidates.map((n) => n.label))].sort((a, b) => a.localeCompare(b))) {
    names.append(el("option", { value: label }));
  }

  // The best match for what was typed: a whole name, then a whole alias, then part of
  // either; among equals the most mentioned.
  function find(query) {
    const wanted = fold(query);
    if (!wanted) return null;
    const tests = [
      (n) => fold(n.label) === wanted,
      (n) => n.aliases.some((a) => fold(a) === wanted),
      (n) => fold(n.label).startsWith(wanted),
      (n) => fold(n.label).includes(wanted),
      (n) => n.aliases.some((a) => fold(a).includes(wanted)),
    ];
    for (const test of tests) {
      const found = candidates.find(test);
      if (found) return found;
    }
    return null;
  }

  const searchBox = document.getElementById("search-box");
  const searchMessage = document.getElementById("search-message");
  document.getElementById("search").addEventListener("submit", (event) => {
    event.preventDefault();
    const typed = searchBox.value.trim();
    const node = find(typed);
    searchMessage.textContent = node || !typed ? "" : "Nothing called “" + typed + "”";
    if (node) select(node.id);
  });

  // -- selection --------------------------------------------------------------------

  // Select a node as if clicked, and bring it to the middle, readable.
  function select(id) {
    const node = nodesById.get(id);
    if (!node) return;
    if (!shown.has(node.type)) setShown(node.type, true);
    network.selectNodes([id]);
    highlight([id]);
    showNode(id);
    const centre = () => {
      document.body.dataset.focused = "";
      network.focus(id, { scale: Math.max(network.getScale(), FOCUS_SCALE),
        animation: { duration: 450, easingFunction: "easeInOutQuad" } });
    };
    if (document.body.dataset.ready === "true") centre();
    else network.once("stabilizationIterationsDone", () => setTimeout(centre, 0));
  }

  // data-focused names the node the view has finished moving to.
  network.on("animationFinished", () => {
    const selected = network.getSelectedNodes();
    document.body.dataset.focused = selected.length ? selected[0] : "";
  });

  network.on("click", (params) => {
    if (params.nodes.length) {
      highlight([params.nodes[0]]);
      showNode(params.nodes[0]);
    } else if (params.edges.length) {
      const edge = visEdges.get(params.edges[0]);
      highlight([edge.from, edge.to]);
      showEdge(params.edges[0]);
    } else {
      highlight([]);
      showIntro();
    }
  });

  // The selection and its neighbours keep their colours and names; the rest fade,
  // so that a crowded picture can still be read around one node.
  function highlight(ids) {
    const keep = new Set(ids);
    if (ids.length === 1) for (const id of network.getConnectedNodes(ids[0])) keep.add(id);
    const all = keep.size === 0;
    visNodes.update(data.nodes.map((n) => all || keep.has(n.id) ? { ...nodeLook(n), opacity: 1 }
      : { id: n.id, opacity: DIMMED, font: NO_FONT }));
    visEdges.update(drawnEdges.map((e) => {
      const lit = all || (ids.length === 1 ? e.from === ids[0] || e.to === ids[0]
        : keep.has(e.from) && keep.has(e.to));
      return { id: e.id, color: { ...edgeColour(e), opacity: lit ? 1 : DIMMED }, font: lit ? EDGE_FONT : NO_FONT };
    }));
  }

  // -- the panel -------------------------------------------------------------------

  const panel = document.getElementById("panel");

  function show(...children) {
    panel.replaceChildren(...children.filter((c) => c !== null));
    panel.scrollTop = 0;
  }

  function nodeButton(id) {
    const node = nodesById.get(id);
    return el("button", { type: "button", className: "link", onclick: () => select(id) }, node ? node.label : id);
  }

  function factItem(fact, withRelation) {
    const details = [];
    if (fact.role) details.push("role: " + fact.role);
    if (fact.status) details.push("status: " + fact.status);
    details.push("confidence " + fact.confidence.toFixed(2));
    return el("li", { className: "fact" },
      withRelation ? el("div", { className: "relation" }, nodeButton(fact.from), " ",
        el("span", { className: "predicate" }, fact.predicate), " ", nodeButton(fact.to)) : null,
      el("div", { className: "muted" }, details.join(" · ")),
      el("blockquote", { className: "evidence" }, fact.sentence),
      el("div", { className: "source" }, "From ",
        nodesById.has(fact.article) ? nodeButton(fact.article) : "an unknown article",
        dated(fact.article), fact.rule ? " · rule " + fact.rule : ""),
    );
  }

  function factList(list, empty) {
    return list.length ? el("ul", { className: "facts" }, ...list.map((f) => factItem(f, true)))
      : el("p", { className: "muted" }, empty);
  }

  function showIntro() {
    show(
      el("h2", {}, data.nodes.length ? "Explore the graph" : "The graph is empty"),
      el("p", {}, "Click a node to see what is known about it, or a line to see the sentence a fact was read from."),
      el("p", { className: "muted" }, "Find a name with the search box; switch types on and off in the legend. " +
        "Drag to move, scroll to zoom."),
      el("p", { className: "muted" }, "Node size: how often the articles mention it."),
    );
  }

  function showNode(id) {
    const node = nodesById.get(id);
    if (!node) return;
    if (node.type === ARTICLE) {
      showArticle(node);
      return;
    }
    const seen = mentions.filter((m) => m.to === id);
    show(
      el("h2", {}, node.label),
      el("p", { className: "meta" }, swatch(node.type), node.type + " · " + plural(node.mentions, "mention")),
      /^Q[0-9]+$/.test(node.wikidata) ? el("p", {}, "Wikidata: ", el("a",
        { href: WIKIDATA + node.wikidata, target: "_blank", rel: "noopener noreferrer" }, node.wikidata)) : null,
      node.aliases.length ? el("h3", {}, "Also called") : null,
      node.aliases.length ? el("p", { className: "aliases" }, node.aliases.join(" · ")) : null,
      el("h3", {}, "Facts"),
      factList(facts.filter((f) => f.from === id || f.to === id), "No facts about it yet."),
      el("h3", {}, "Mentioned in " + plural(seen.length, "article")),
      el("ul", { className: "articles" }, ...seen.map((m) => el("li", {}, nodeButton(m.from),
        el("span", { className: "muted" }, dated(m.from) + " · " + plural(m.count, "time"))))),
    );
  }

  function showArticle(node) {
    const named = mentions.filter((m) => m.from === node.id);
    show(
      el("h2", {}, node.label),
      el("p", { className: "meta" }, swatch(ARTICLE), "Article" + (node.date ? " · " + node.date : "")),
      node.source ? el("p", { className: "muted" }, "File: " + node.source) : null,
      el("h3", {}, "Facts read from it"),
      factList(facts.filter((f) => f.article === node.id), "No facts read from it yet."),
      el("h3", {}, "It mentions " + plural(named.length, "entity", "entities")),
      el("ul", { className: "articles" }, ...named.map((m) => el("li", {}, nodeButton(m.to),
        el("span", { className: "muted" }, " · " + plural(m.count, "time"))))),
    );
  }

  function showEdge(id) {
    if (mentionByLine.has(id)) {
      const mention = mentionByLine.get(id);
      show(
        el("h2", {}, "Mention"),
        el("p", {}, nodeButton(mention.from), " mentions ", nodeButton(mention.to), " " + plural(mention.count, "time") + "."),
      );
      return;
    }
    const group = factsByLine.get(id);
    if (!group) return;
    const first = group[0];
    show(
      el("h2", {}, factLabel(first)),
      el("p", { className: "relation" }, nodeButton(first.from), " ", el("span", { className: "predicate" }, first.predicate),
        " ", nodeButton(first.to)),
      el("h3", {}, group.length === 1 ? "Evidence" : "Evidence (" + plural(group.length, "fact") + ")"),
      el("ul", { className: "facts" }, ...group.map((f) => factItem(f, false))),
    );
  }

  showIntro();
  if (data.nodes.length === 0) document.body.dataset.ready = "true";
  // For the curious (and for tests): the network and the data, from the console.
  window.scoGraph = { network: network, nodes: visNodes, edges: visEdges, data: data, select: select };
})();
