// The page of `sco-graph viz`: draws the embedded graph with vis-network, names
// its most connected entities, and explains whatever is clicked in the side panel.
//
// Labels and sentences come from press texts, so text reaches the page only
// as text nodes (the `el` helper) and never as HTML.
(function () {
  "use strict";

  const ARTICLE = "Article";
  const MENTIONS = "mentions";
  const WIKIDATA = "https://www.wikidata.org/wiki/";
  const LABEL_LENGTH = 34; // longer names are cut in the picture; the panel has them whole
  const TITLE_LENGTH = 80; // an article's title where the panel names the story a line is from
  const LABELS = 30; // how many names the overview shows; zoomed in, as many as the space allows
  const FOCUS_SCALE = 1.1; // zoom after a search: every name readable
  const LINE_NAMES = 12; // a selection with more lines than this shows no relation names on them

  const FACT_COLOUR = { color: "#8c959f", highlight: "#1f2328", hover: "#424a53" };
  const MENTION_COLOUR = { color: "#c5cad1", highlight: "#57606a", hover: "#8c959f" };
  const QUIET = 0.55; // opacity of lines in the overview: many lines, one grey
  const DIMMED = 0.15; // opacity of what is not around the selection
  const EDGE_FONT = { size: 12, color: "#424a53", strokeColor: "#ffffff" };
  const NO_EDGE_FONT = { size: 0 }; // relation names only around a selection

  const data = JSON.parse(document.getElementById("graph-data").textContent);
  // Nodes travel by their index in data.nodes (a smaller page); from here on, by id.
  const idAt = (i) => (i >= 0 ? data.nodes[i].id : "");
  for (const edge of data.edges) Object.assign(edge, { from: idAt(edge.from), to: idAt(edge.to), article: idAt(edge.article) });
  for (const line of data.nodes.flatMap((n) => n.view.flatMap((g) => g.lines))) {
    Object.assign(line, { other: idAt(line.other), article: idAt(line.article) });
  }
  const sentences = data.sentences;
  const nodesById = new Map(data.nodes.map((n) => [n.id, n]));
  const colours = new Map(data.types.map((t) => [t.name, t.colour]));
  const facts = data.edges.filter((e) => e.predicate !== MENTIONS);
  const mentions = data.edges.filter((e) => e.predicate === MENTIONS);
  const entities = data.nodes.filter((n) => n.type !== ARTICLE);

  // Articles are hubs that would hide the facts; without facts they are the only lines.
  const shown = new Set(data.types.map((t) => t.name));
  if (facts.length > 0) shown.delete(ARTICLE);
  const shownRelations = new Set(data.relations.map((r) => r.name));

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
    return n.toLocaleString("en") + " " + (n === 1 ? one : many || one + "s");
  }

  function short(text, length) {
    const most = length || LABEL_LENGTH;
    return text.length > most ? text.slice(0, most - 1).trimEnd() + "…" : text;
  }

  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function compare(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
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

  // The most connected first: those that share facts with the most others, then the
  // most mentioned. The overview draws the first `data.overview` of those with facts
  // and names the first LABELS; the search box finds every entity.
  const ranked = entities.slice().sort((a, b) =>
    b.links - a.links || b.mentions - a.mentions || compare(a.label, b.label) || compare(a.id, b.id));
  const articles = data.nodes.filter((n) => n.type === ARTICLE)
    .sort((a, b) => b.mentions - a.mentions || compare(a.id, b.id));
  const rank = new Map([...ranked, ...articles].map((n, i) => [n.id, i]));
  const overview = (facts.length ? ranked.filter((n) => n.links > 0) : ranked).slice(0, data.overview);
  const drawn = new Set([...overview, ...articles.slice(0, data.overview)].map((n) => n.id));
  const undrawn = entities.length - overview.length;

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
  const allLines = [];
  for (const [id, group] of factsByLine) {
    const first = group[0];
    const pair = [first.from, first.to].sort().join("\u0000");
    const index = pairs.get(pair) || 0;
    pairs.set(pair, index + 1);
    allLines.push({
      id: id,
      from: first.from,
      to: first.to,
      relation: first.predicate,
      label: factLabel(first) + (group.length > 1 ? " ×" + group.length : ""),
      smooth: index === 0 ? false
        : { type: index % 2 ? "curvedCW" : "curvedCCW", roundness: 0.25 * Math.ceil(index / 2) },
    });
  }
  for (const [id, mention] of mentionByLine) {
    allLines.push({
      id: id, from: mention.from, to: mention.to, relation: MENTIONS,
      dashes: [2, 4], width: 1, arrows: { to: { enabled: false } },
    });
  }
  const lineById = new Map(allLines.map((line) => [line.id, line]));

  function lineColour(line, opacity) {
    return { ...(line.relation === MENTIONS ? MENTION_COLOUR : FACT_COLOUR), opacity: opacity };
  }

  function lineHidden(line) {
    return !shown.has(nodesById.get(line.from).type) || !shown.has(nodesById.get(line.to).type)
      || (line.relation !== MENTIONS && !shownRelations.has(line.relation));
  }

  function visLine(line) {
    const hidden = lineHidden(line);
    return Object.assign({ hidden: hidden, physics: !hidden, color: lineColour(line, QUIET), font: NO_EDGE_FONT }, line);
  }

  function nodeLook(node) {
    const colour = colourOf(node.type);
    return {
      id: node.id,
      color: { background: colour, border: "#ffffff", highlight: { background: colour, border: "#1f2328" },
        hover: { background: colour, border: "#1f2328" } },
    };
  }

  function tooltip(node) {
    return el("div", {}, el("strong", {}, node.label), " · " + node.type +
      (node.type === ARTICLE ? "" : " · " + plural(node.mentions, "mention")));
  }

  // No label on the canvas: the names are drawn over it (see "names" below), where
  // they stay readable at any zoom and never cover each other.
  function visNode(node) {
    const drawnNode = Object.assign(nodeLook(node), {
      title: tooltip(node),
      shape: "dot",
      value: Math.max(node.mentions, 1),
      // Hidden is not enough: vis-network would still lay a hidden node out.
      hidden: !shown.has(node.type),
      physics: shown.has(node.type),
    });
    if (node.type === ARTICLE) {
      // An article counts all its mentions, not comparable with an entity's: a fixed size.
      delete drawnNode.value;
      Object.assign(drawnNode, { shape: "square", size: 9 });
    }
    return drawnNode;
  }

  const visNodes = new vis.DataSet([...drawn].map((id) => visNode(nodesById.get(id))));
  const visEdges = new vis.DataSet(allLines.filter((l) => drawn.has(l.from) && drawn.has(l.to)).map(visLine));

  const graphBox = document.getElementById("graph");
  const laidOut = [...drawn].filter((id) => shown.has(nodesById.get(id).type)).length;
  const network = new vis.Network(graphBox, { nodes: visNodes, edges: visEdges }, {
    layout: { randomSeed: 7, improvedLayout: laidOut < 150 },
    physics: {
      solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -120, centralGravity: 0.02,
        springLength: 110, springConstant: 0.05, avoidOverlap: 1 },
      // A big picture settles in fewer steps, so that it opens in seconds.
      stabilization: { enabled: true, iterations: laidOut > 150 ? 400 : 700, updateInterval: 50, fit: true },
    },
    nodes: {
      borderWidth: 1.5,
      // By logarithm: a few entities are named a hundred times, most of them once.
      scaling: {
        min: 6, max: 30,
        customScalingFunction: (min, max, total, value) =>
          max === min ? 0.5 : Math.log(value / min) / Math.log(max / min),
      },
    },
    edges: {
      arrows: { to: { enabled: true, scaleFactor: 0.45 } },
      color: FACT_COLOUR,
      width: 1.2,
      selectionWidth: 1.5,
      font: { face: "system-ui, sans-serif", strokeWidth: 4, align: "horizontal" },
      smooth: { type: "continuous" },
    },
    interaction: { hover: true, tooltipDelay: 250, multiselect: false },
  });

  // Lay out, then hold still: a picture that keeps moving cannot be read.
  // data-ready tells a test (or a screenshot) that the picture is settled and named.
  let settled = false;
  let overviewScale = 1;
  network.on("stabilizationIterationsDone", () => {
    network.setOptions({ physics: { enabled: false } });
    network.fit({ animation: false });
    overviewScale = network.getScale();
    settled = true;
    network.redraw();
  });

  network.on("afterDrawing", () => {
    placeNames();
    if (settled && document.body.dataset.ready !== "true") document.body.dataset.ready = "true";
  });

  function relayout() {
    settled = false;
    document.body.dataset.ready = "false";
    network.setOptions({ physics: { enabled: true } });
    network.stabilize(400);
  }

  // -- names ----------------------------------------------------------------------------

  // Names are elements over the canvas, a fixed size whatever the zoom. The overview
  // names the LABELS most connected visible nodes, more as one zooms in; a selection
  // names itself and its neighbours. Each name goes below its node, else above, right or
  // left; a name that fits nowhere free waits for more room (zoom in).
  const nameLayer = document.getElementById("names-layer");
  const names = new Map(); // node id -> { element, width, height }
  let around = null; // the selected node and its neighbours, when a node is selected

  function nameOf(id) {
    let name = names.get(id);
    if (!name) {
      const node = nodesById.get(id);
      const element = el("span", { className: "node-label", title: node.label, onclick: () => choose(id) },
        short(node.label));
      element.dataset.id = id;
      element.hidden = true;
      nameLayer.append(element);
      name = { element: element, width: 0, height: 0 };
      names.set(id, name);
    }
    return name;
  }

  function placeNames() {
    const placed = new Set();
    if (settled) {
      const width = graphBox.clientWidth;
      const height = graphBox.clientHeight;
      const scale = network.getScale();
      const hidden = new Set(visNodes.getIds({ filter: (n) => n.hidden }));
      const visible = (id) => drawn.has(id) && !hidden.has(id);
      let wanted;
      let most;
      if (around) {
        wanted = [...around].filter(visible).sort((a, b) => (a === around.first ? -1 : b === around.first ? 1
          : rank.get(a) - rank.get(b)));
        most = Infinity;
      } else {
        wanted = [...drawn].filter(visible).sort((a, b) => rank.get(a) - rank.get(b));
        most = Math.round(LABELS * Math.max(1, (scale / overviewScale) ** 2));
      }
      // Make the missing names, then measure them all at once (one layout).
      const fresh = wanted.filter((id) => !names.has(id)).map(nameOf);
      for (const name of fresh) name.element.hidden = false;
      for (const name of fresh) {
        name.width = name.element.offsetWidth;
        name.height = name.element.offsetHeight;
      }
      // A name covers no other name and no node (taken as its square).
      const discs = new Map();
      const taken = [];
      for (const id of drawn) {
        if (!visible(id)) continue;
        const box = network.getBoundingBox(id);
        const corner = network.canvasToDOM({ x: box.left, y: box.top });
        const size = (box.right - box.left) * scale;
        const disc = { x: corner.x, y: corner.y, w: size, h: size };
        discs.set(id, disc);
        if (disc.x < width && disc.y < height && disc.x + size > 0 && disc.y + size > 0) taken.push(disc);
      }
      const free = (x, y, w, h, own) => !taken.some((t) => t !== own &&
        x < t.x + t.w && t.x < x + w && y < t.y + t.h && t.y < y + h);
      for (const id of wanted) {
        if (placed.size >= most) break;
        const disc = discs.get(id);
        const at = { x: disc.x + disc.w / 2, y: disc.y + disc.h / 2 };
        if (at.x < 0 || at.y < 0 || at.x > width || at.y > height) continue;
        const r = disc.w / 2;
        const { element, width: w, height: h } = names.get(id);
        const spots = [[at.x - w / 2, at.y + r + 1], [at.x - w / 2, at.y - r - h - 1],
          [at.x + r + 3, at.y - h / 2], [at.x - r - 3 - w, at.y - h / 2]];
        for (const [x, y] of spots) {
          if (x < 0 || y < 0 || x + w > width || y + h > height || !free(x, y, w, h, disc)) continue;
          taken.push({ x: x - 2, y: y - 1, w: w + 4, h: h + 2 }); // and a little room around it
          element.style.transform = "translate(" + Math.round(x) + "px," + Math.round(y) + "px)";
          element.classList.toggle("selected", Boolean(around) && id === around.first);
          placed.add(id);
          break;
        }
      }
    }
    for (const [id, name] of names) name.element.hidden = !placed.has(id);
  }

  // -- header, legend and filters ----------------------------------------------------

  document.getElementById("stats").textContent = [
    plural(entities.length, "entity", "entities"), plural(facts.length, "fact"),
    plural(articles.length, "article"),
  ].join(" · ");

  // The note under the picture: what size and names mean, and what is left out.
  const note = document.getElementById("note");
  const left = undrawn === 0 ? ""
    : (overview.length < data.overview || !facts.length
      ? "Drawn: the " + plural(overview.length, "entity", "entities") + " in facts; "
      : "Drawn: the " + plural(overview.length, "most connected entity", "most connected entities") + "; ") +
      plural(undrawn, "other is", "others are") + " found by the search box.";
  note.textContent = facts.length
    ? "Node size: mentions. Names: the most connected. Click a node, a name or a line for the evidence." +
      (left ? " " + left : "")
    : "No facts in this graph yet: the dashed lines show which article mentions which entity." +
      (left ? " " + left : "");
  note.hidden = data.nodes.length === 0;

  function checkbox(value, checked, onChange) {
    const box = el("input", { type: "checkbox", checked: checked, value: value });
    box.addEventListener("change", () => onChange(box.checked));
    return box;
  }

  const filterBoxes = new Map();
  const typeFilters = document.getElementById("type-filters");
  typeFilters.append(el("span", { className: "row-title" }, "Types"));
  for (const type of data.types) {
    const box = checkbox(type.name, shown.has(type.name), (on) => setShown(type.name, on));
    filterBoxes.set(type.name, box);
    typeFilters.append(el("label", { className: "filter" }, box, swatch(type.name),
      type.name === ARTICLE ? "Articles" : type.name, el("span", { className: "count" }, "(" + type.count + ")")));
  }
  const relationFilters = document.getElementById("relation-filters");
  relationFilters.append(el("span", { className: "row-title" }, "Relations"));
  for (const relation of data.relations) {
    const box = checkbox(relation.name, true, (on) => setRelationShown(relation.name, on));
    relationFilters.append(el("label", { className: "filter" }, box, relation.name, el("span", { className: "count" }, "(" + relation.count + ")")));
  }
  relationFilters.hidden = data.relations.length === 0;

  function setShown(type, visible) {
    if (visible) shown.add(type);
    else shown.delete(type);
    filterBoxes.get(type).checked = visible;
    visNodes.update(visNodes.get({ filter: (n) => nodesById.get(n.id).type === type })
      .map((n) => ({ id: n.id, hidden: !visible, physics: visible })));
    updateLines();
    relayout();
  }

  function setRelationShown(relation, visible) {
    if (visible) shownRelations.add(relation);
    else shownRelations.delete(relation);
    updateLines();
  }

  function updateLines() {
    visEdges.update(visEdges.getIds().map((id) => {
      const hidden = lineHidden(lineById.get(id));
      return { id: id, hidden: hidden, physics: !hidden };
    }));
  }

  // -- search -------------------------------------------------------------------------

  const candidates = ranked;
  const nameList = document.getElementById("name-list");
  for (const label of [...new Set(candidates.map((n) => n.label))].sort(compare)) {
    nameList.append(el("option", { value: label }));
  }

  // The best match for what was typed: a whole name, then a whole alias, then part of
  // either; among equals the most connected.
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

  function search() {
    const typed = searchBox.value.trim();
    const node = find(typed);
    searchMessage.textContent = node || !typed ? "" : "Nothing called “" + typed + "”";
    if (node) select(node.id);
  }

  document.getElementById("search").addEventListener("submit", (event) => {
    event.preventDefault();
    search();
  });
  // A name picked from the list is found at once.
  searchBox.addEventListener("input", (event) => {
    if (event.inputType === undefined || event.inputType === "insertReplacementText") search();
  });

  // -- selection --------------------------------------------------------------------

  // A node the overview left out joins the picture when asked for, next to its
  // best-connected drawn neighbour, with its lines to the drawn nodes.
  function draw(id) {
    if (drawn.has(id)) return;
    drawn.add(id);
    const own = allLines.filter((l) => (l.from === id || l.to === id) && drawn.has(l.from) && drawn.has(l.to));
    const neighbours = own.map((l) => (l.from === id ? l.to : l.from)).filter((n) => n !== id)
      .sort((a, b) => rank.get(a) - rank.get(b));
    const at = neighbours.length ? network.getPositions([neighbours[0]])[neighbours[0]] : network.getViewPosition();
    const turn = (rank.get(id) % 12) * (Math.PI / 6);
    visNodes.add({ ...visNode(nodesById.get(id)), x: at.x + 90 * Math.cos(turn), y: at.y + 90 * Math.sin(turn) });
    visEdges.add(own.map(visLine));
  }

  // Select a node as if clicked, and bring it to the middle, readable.
  function select(id) {
    const node = nodesById.get(id);
    if (!node) return;
    if (!shown.has(node.type)) setShown(node.type, true);
    draw(id);
    choose(id);
    const centre = () => {
      document.body.dataset.focused = "";
      network.focus(id, { scale: Math.max(network.getScale(), FOCUS_SCALE),
        animation: { duration: 450, easingFunction: "easeInOutQuad" } });
    };
    if (settled) centre();
    else network.once("stabilizationIterationsDone", () => setTimeout(centre, 0));
  }

  // Select a node where it is: its neighbourhood stands out and the panel explains it.
  function choose(id) {
    network.selectNodes([id]);
    highlight([id]);
    showNode(id);
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

  // The selection and its neighbours keep their colours and get their names and the
  // names of their lines; the rest fade, so that a crowded picture can be read
  // around one node.
  function highlight(ids) {
    const keep = new Set(ids);
    if (ids.length === 1) for (const id of network.getConnectedNodes(ids[0])) keep.add(id);
    const all = keep.size === 0;
    around = all ? null : keep;
    if (around) around.first = ids[0];
    visNodes.update(visNodes.getIds().map((id) => all || keep.has(id) ? { ...nodeLook(nodesById.get(id)), opacity: 1 }
      : { id: id, opacity: DIMMED }));
    const lit = new Set(all ? [] : visEdges.getIds({ filter: (line) => !line.hidden && (ids.length === 1
      ? line.from === ids[0] || line.to === ids[0] : keep.has(line.from) && keep.has(line.to)) }));
    // A hub's lines keep their relation names to themselves: the panel lists them.
    const named = lit.size <= LINE_NAMES;
    visEdges.update(visEdges.getIds().map((id) => ({
      id: id, color: lineColour(lineById.get(id), all ? QUIET : lit.has(id) ? 1 : DIMMED),
      font: named && lit.has(id) ? EDGE_FONT : NO_EDGE_FONT,
    })));
  }

  // -- the panel -------------------------------------------------------------------

  const panel = document.getElementById("panel");

  function show(...children) {
    panel.replaceChildren(...children.flat(2).filter((c) => c !== null));
    panel.scrollTop = 0;
  }

  function nodeButton(id, text) {
    const node = nodesById.get(id);
    return el("button", { type: "button", className: "link", onclick: () => select(id) },
      text || (node ? node.label : id));
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
      el("blockquote", { className: "evidence" }, sentences[fact.sentence]),
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
      el("p", {}, "Click a node or a name to see what the graph says about it, or a line to see the " +
        "sentence a fact was read from."),
      el("p", { className: "muted" }, "Find any entity with the search box; switch types and relations " +
        "on and off in the legend. Drag to move, scroll to zoom: more names appear."),
      el("p", { className: "muted" }, "Node size: how often the articles mention it. Names: the most " +
        "connected, those that share facts with the most others."),
      left ? el("p", { className: "muted" }, left) : null,
    );
  }

  // One line of an entity's view, dated, its other end a link: "President of [Kazakhstan]".
  function statement(line) {
    const other = nodesById.get(line.other);
    const at = other ? line.text.indexOf(other.label) : -1;
    const text = at < 0 ? [line.text]
      : [line.text.slice(0, at), nodeButton(line.other), line.text.slice(at + other.label.length)];
    return el("div", { className: "statement" }, el("span", { className: "date" }, line.date || "no date"), " ", ...text);
  }

  // The entity view (`sco-graph show`): each group's lines by date, each with its
  // evidence sentence and story; lines in a row read from one sentence share it.
  function viewGroup(group) {
    const items = [];
    for (const line of group.lines) {
      const last = items[items.length - 1];
      if (last && last.story === line.story && last.sentence === line.sentence) last.lines.push(line);
      else items.push({ story: line.story, sentence: line.sentence, article: line.article, lines: [line] });
    }
    return [
      el("h3", {}, group.title + " (" + group.lines.length + ")"),
      el("ul", { className: "view" }, ...items.map((item) => {
        const article = nodesById.get(item.article);
        const story = article ? nodeButton(item.article, short(article.label, TITLE_LENGTH)) : item.story;
        if (article) story.title = article.label;
        return el("li", { className: "fact" }, ...item.lines.map(statement),
          el("blockquote", { className: "evidence" }, sentences[item.sentence]),
          el("div", { className: "source" }, "From ", story,
            article && article.label !== item.story ? el("span", { className: "story" }, " · " + item.story) : null));
      })),
    ];
  }

  function showNode(id) {
    const node = nodesById.get(id);
    if (!node) return;
    if (node.type === ARTICLE) {
      showArticle(node);
      return;
    }
    const view = node.view;
    const seen = mentions.filter((m) => m.to === id);
    show(
      el("h2", {}, node.label),
      el("p", { className: "meta" }, swatch(node.type), node.type + " · " + plural(node.mentions, "mention") +
        " · linked to " + plural(node.links, "entity", "entities")),
      /^Q[0-9]+$/.test(node.wikidata) ? el("p", {}, "Wikidata: ", el("a",
        { href: WIKIDATA + node.wikidata, target: "_blank", rel: "noopener noreferrer" }, node.wikidata)) : null,
      node.aliases.length ? el("h3", {}, "Also called") : null,
      node.aliases.length ? el("p", { className: "aliases" }, node.aliases.join(" · ")) : null,
      view.length ? view.map(viewGroup) : [el("h3", {}, "Facts"), el("p", { className: "muted" }, "No facts about it yet.")],
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
  if (drawn.size === 0) {
    settled = true;
    document.body.dataset.ready = "true";
  }
  // For the curious (and for tests): the network and the data, from the console.
  window.scoGraph = { network: network, nodes: visNodes, edges: visEdges, data: data, select: select };
})();
