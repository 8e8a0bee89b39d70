// The query page of `sco-graph serve` (sco_graph/query/page.py).
//
// It reads the saved queries and the prefixes from /queries, runs a saved query
// with its parameters at /queries/NAME?PARAM=VALUE (the server binds the values;
// they never become query text) and any other query at /sparql, and shows the
// answer as a table. Every text from the server goes into the page through
// textContent or an attribute, never as HTML.
"use strict";

(() => {
  const ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9";
  const EXAMPLE = [
    "# Every person in the graph. The prefixes below need no PREFIX line.",
    "SELECT ?person ?name",
    "WHERE {",
    "  ?person a sco:Person ;",
    "          rdfs:label ?name .",
    "}",
    "ORDER BY ?name",
    "LIMIT 100",
    "",
  ].join("\n");
  const XSD = "http://www.w3.org/2001/XMLSchema#";
  const NUMBERS = new Set(
    ["integer", "decimal", "double", "float", "long", "int", "nonNegativeInteger"].map(
      (name) => XSD + name,
    ),
  );
  // A local name that reads back as a prefixed name (SPARQL's PN_LOCAL, simplified).
  const LOCAL_NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$/;
  // What may stand between < and > in a query.
  const IRI_TEXT = /^[^<>"{}|^`\\\u0000-\u0020]+$/;
  const LONG_TEXT = 48; // characters: longer literals wrap in a wide cell
  const PLACEHOLDERS = {
    IRI: "person:xi-jinping, country:china, sco:Person …",
    text: "text",
    integer: "a whole number",
    date: "YYYY-MM-DD",
  };

  const state = {
    queries: new Map(),
    prefixes: [], // [prefix, namespace], longest namespace first
    saved: null, // the saved query picked, or null
    controller: null, // the run in flight
  };

  const $ = (id) => document.getElementById(id);

  function element(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (name === "class") node.className = value;
      else node.setAttribute(name, value);
    }
    node.append(...children);
    return node;
  }

  // -- names ------------------------------------------------------------------

  function shorten(iri) {
    for (const [prefix, namespace] of state.prefixes) {
      if (iri.startsWith(namespace)) return `${prefix}:${iri.slice(namespace.length)}`;
    }
    return iri;
  }

  // How `iri` is written in a query: a prefixed name when it reads back as one,
  // else <iri>; null when it cannot be written safely.
  function sparqlName(iri) {
    const short = shorten(iri);
    if (short !== iri && LOCAL_NAME.test(short.slice(short.indexOf(":") + 1))) return short;
    return IRI_TEXT.test(iri) ? `<${iri}>` : null;
  }

  function aboutQuery(name) {
    return [
      `# Everything the graph says about ${name}`,
      "SELECT ?subject ?property ?object",
      "WHERE {",
      `  { ${name} ?property ?object . BIND (${name} AS ?subject) }`,
      "  UNION",
      `  { ?subject ?property ${name} . BIND (${name} AS ?object) }`,
      "}",
      "ORDER BY ?property ?subject ?object",
      "LIMIT 500",
      "",
    ].join("\n");
  }

  // -- the saved queries and their parameters ------------------------------------

  async function load() {
    const answer = await fetch("/queries", { headers: { Accept: "application/json" } });
    if (!answer.ok) throw new Error(await oneLine(answer));
    const listing = await answer.json();
    state.prefixes = Object.entries(listing.prefixes).sort(
      ([p1, n1], [p2, n2]) => n2.length - n1.length || (p1 < p2 ? -1 : 1),
    );
    const select = $("saved");
    for (const query of listing.queries) {
      state.queries.set(query.name, query);
      select.append(element("option", { value: query.name }, `${query.name}: ${query.title}`));
    }
    $("prefix-list").replaceChildren(
      ...Object.entries(listing.prefixes).flatMap(([prefix, namespace]) => [
        element("dt", {}, `${prefix}:`),
        element("dd", {}, namespace),
      ]),
    );
  }

  function choose(name) {
    const query = state.queries.get(name) || null;
    state.saved = query;
    $("saved").value = query ? query.name : "";
    $("description").textContent = query
      ? query.description
      : "Write any SPARQL query, or pick a saved one.";
    const params = $("params");
    params.replaceChildren(...(query ? query.params.map(parameterField) : []));
    params.hidden = !query || query.params.length === 0;
    if (query) $("query").value = query.sparql;
    markEdited();
  }

  function parameterField(param) {
    const example = /e\.g\. (\S+)$/.exec(param.meaning);
    const input = element("input", {
      id: `param-${param.name}`,
      name: param.name,
      type: "text",
      autocomplete: "off",
      spellcheck: "false",
      placeholder: example ? example[1] : PLACEHOLDERS[param.kind] || "a value",
    });
    input.required = param.required;
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") run();
    });
    const label = element(
      "label",
      { for: input.id },
      element("span", { class: "name" }, param.name),
      element("span", { class: "kind" }, param.kind || "value"),
      param.required ? "" : element("span", { class: "optional" }, "optional"),
    );
    return element(
      "div",
      { class: "param" },
      label,
      input,
      element("span", { class: "meaning" }, param.meaning),
    );
  }

  function parameterInputs() {
    return [...$("params").querySelectorAll("input")];
  }

  // Whether the saved query's text was changed: then it runs as written, unbound.
  function edited() {
    return state.saved !== null && $("query").value !== state.saved.sparql;
  }

  function markEdited() {
    const changed = edited();
    $("edited").hidden = !changed;
    for (const input of parameterInputs()) input.disabled = changed;
  }

  // -- running ------------------------------------------------------------------

  // What a run asks for: where, how, the links to download it, and the page's own URL for it.
  function currentRequest() {
    const text = $("query").value;
    if (state.saved && !edited()) {
      const values = new URLSearchParams();
      for (const input of parameterInputs()) {
        if (input.value.trim()) values.append(input.name, input.value.trim());
      }
      const url = `/queries/${encodeURIComponent(state.saved.name)}`;
      const withFormat = (format) => {
        const search = new URLSearchParams(values);
        search.append("format", format);
        return `${url}?${search}`;
      };
      const share = new URLSearchParams({ saved: state.saved.name });
      for (const [name, value] of values) share.append(name, value);
      return {
        url: values.toString() ? `${url}?${values}` : url,
        init: { headers: { Accept: ACCEPT } },
        download: withFormat,
        file: state.saved.name,
        share: `/?${share}`,
      };
    }
    return {
      url: "/sparql",
      init: {
        method: "POST",
        headers: { Accept: ACCEPT, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ query: text }),
      },
      download: (format) => `/sparql?${new URLSearchParams({ query: text, format })}`,
      file: "query",
      share: `/?${new URLSearchParams({ query: text })}`,
    };
  }

  async function run() {
    if (state.controller) state.controller.abort();
    const controller = new AbortController();
    state.controller = controller;
    const request = currentRequest();
    history.replaceState(null, "", request.share);
    showError(null);
    $("downloads").replaceChildren();
    $("status").textContent = "Running…";
    document.body.dataset.state = "running";
    const started = performance.now();
    try {
      const answer = await fetch(request.url, { ...request.init, signal: controller.signal });
      if (!answer.ok) {
        fail(`${answer.status} ${answer.statusText}: ${await oneLine(answer)}`);
        return;
      }
      const type = answer.headers.get("Content-Type") || "";
      const table = type.startsWith("application/sparql-results+json")
        ? fromSparqlJson(await answer.json())
        : fromNTriples(await answer.text());
      show(table, request, performance.now() - started);
    } catch (error) {
      if (error.name !== "AbortError") fail(`The server did not answer: ${error.message}`);
    } finally {
      if (state.controller === controller) state.controller = null;
    }
  }

  async function oneLine(answer) {
    return (await answer.text()).split(/\s+/).join(" ").trim() || answer.statusText;
  }

  function fail(message) {
    showError(message);
    $("status").textContent = "";
    $("table").replaceChildren();
    document.body.dataset.state = "error";
  }

  function showError(message) {
    const box = $("error");
    box.hidden = message === null;
    box.textContent = message || "";
  }

  // -- answers as tables -----------------------------------------------------------

  function fromSparqlJson(answer) {
    if ("boolean" in answer) {
      return {
        form: "ask",
        columns: ["answer"],
        rows: [[{ type: "literal", value: answer.boolean ? "yes" : "no" }]],
      };
    }
    const columns = answer.head.vars;
    const rows = answer.results.bindings.map((row) => columns.map((name) => row[name] || null));
    return { form: "select", columns, rows };
  }

  const N_TRIPLES_TERM =
    /<([^>]*)>|_:(\S+)|"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?/g;

  function fromNTriples(text) {
    const rows = [];
    for (const line of text.split("\n")) {
      if (!line.trim() || line.startsWith("#")) continue;
      const terms = [...line.matchAll(N_TRIPLES_TERM)].slice(0, 3).map((match) => {
        if (match[1] !== undefined) return { type: "uri", value: match[1] };
        if (match[2] !== undefined) return { type: "bnode", value: match[2] };
        const term = { type: "literal", value: unescapeLiteral(match[3]) };
        if (match[4]) term["xml:lang"] = match[4];
        if (match[5]) term.datatype = match[5];
        return term;
      });
      rows.push(terms);
    }
    return { form: "graph", columns: ["subject", "predicate", "object"], rows };
  }

  function unescapeLiteral(text) {
    const simple = { t: "\t", b: "\b", n: "\n", r: "\r", f: "\f", '"': '"', "'": "'", "\\": "\\" };
    return text.replace(/\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))/g, (_, u4, u8, char) =>
      u4 || u8 ? String.fromCodePoint(parseInt(u4 || u8, 16)) : simple[char] ?? char,
    );
  }

  function show(table, request, milliseconds) {
    const count = table.form === "ask" ? "" : `${table.rows.length} ${plural(table)} · `;
    $("status").textContent = `${count}${Math.round(milliseconds)} ms`;
    const formats =
      table.form === "graph"
        ? [["Turtle", "turtle", "ttl"], ["N-Triples", "nt", "nt"]]
        : [["CSV", "csv", "csv"], ["JSON", "json", "json"]];
    $("downloads").replaceChildren(
      "Download ",
      ...formats.flatMap(([label, format, suffix], index) => [
        index ? " · " : "",
        element("a", { href: request.download(format), download: `${request.file}.${suffix}` }, label),
      ]),
    );
    const head = element(
      "tr",
      {},
      element("th", { class: "number-column" }, "#"),
      ...table.columns.map((name) => element("th", {}, table.form === "select" ? `?${name}` : name)),
    );
    const body = table.rows.map((row, index) =>
      element(
        "tr",
        {},
        element("td", { class: "number-column" }, String(index + 1)),
        ...row.map(cell),
      ),
    );
    $("table").replaceChildren(element("thead", {}, head), element("tbody", {}, ...body));
    document.body.dataset.rows = String(table.rows.length);
    document.body.dataset.state = "done";
  }

  function plural(table) {
    const one = table.form === "graph" ? "triple" : "row";
    return table.rows.length === 1 ? one : `${one}s`;
  }

  function cell(term) {
    const td = element("td");
    if (!term) return td;
    if (term.type === "uri") {
      td.className = "iri";
      td.append(iriLink(term.value));
    } else if (term.type === "bnode") {
      td.className = "bnode";
      td.textContent = `_:${term.value}`;
    } else {
      if (term.value.length > LONG_TEXT) {
        td.className = "long";
        td.append(element("div", { class: "clamp", title: "Click to show it all" }, term.value));
        td.addEventListener("click", () => td.classList.toggle("open"));
      } else {
        td.textContent = term.value;
      }
      if (term["xml:lang"]) td.append(element("span", { class: "lang" }, `@${term["xml:lang"]}`));
      if (term.datatype) {
        td.title = shorten(term.datatype);
        if (NUMBERS.has(term.datatype)) td.className = "number";
      }
    }
    return td;
  }

  // An IRI as its short name, linked to what the graph says about it.
  function iriLink(iri) {
    const name = sparqlName(iri);
    const text = shorten(iri);
    if (name === null) return element("span", { title: iri }, text);
    return element("a", { href: `/?${new URLSearchParams({ query: aboutQuery(name) })}`, title: iri }, text);
  }

  // -- start --------------------------------------------------------------------

  async function start() {
    $("saved").addEventListener("change", (event) => {
      if (event.target.value) choose(event.target.value);
      else choose(null);
    });
    $("query").addEventListener("input", markEdited);
    $("query").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        run();
      }
    });
    $("run").addEventListener("click", run);
    $("restore").addEventListener("click", () => {
      $("query").value = state.saved.sparql;
      markEdited();
    });
    try {
      await load();
    } catch (error) {
      showError(`The saved queries could not be read: ${error.message}`);
    }
    const asked = new URLSearchParams(location.search);
    const saved = asked.get("saved");
    if (saved && state.queries.has(saved)) {
      choose(saved);
      for (const input of parameterInputs()) input.value = asked.get(input.name) || "";
      run();
    } else {
      choose(null);
      $("query").value = asked.get("query") || EXAMPLE;
      if (asked.has("query")) run();
    }
    document.body.dataset.ready = "true";
  }

  start();
})();
