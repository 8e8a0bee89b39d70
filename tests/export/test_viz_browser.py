"""The interactive picture in a real browser: headless Chromium, driven by Playwright.

Debian's chromium (`apt-get install -y chromium`) is used as it is; the tests
skip when it is absent. Every page is watched: any request that is not the
file itself, any script error and any dialog fails the test.

The slow test on the bundled corpus takes the README's screenshots
(docs/viz.png, the overview; docs/viz-entity.png, Tokayev searched for) and
checks them: drawn, named, and the names readable.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from browsers import NEEDS_CHROMIUM, chromium
from builders import (
    ARTICLE_A,
    ARTICLE_B,
    EVIL,
    EVIL_ORG,
    EVIL_SENTENCE,
    MET,
    MET_AGAIN,
    PICTURE_KAZAKHSTAN,
    PICTURE_TOKAYEV,
    PICTURE_XI,
    small_graph,
)
from conftest import CORPUS, REPO

from sco_graph.export.picture import write_viz
from sco_graph.graph.store import entity_iri

VIEWPORT = {"width": 1400, "height": 900}

pytestmark = NEEDS_CHROMIUM
sync_api = pytest.importorskip("playwright.sync_api", reason="needs Playwright's Python package")

TOKAYEV_ID = str(entity_iri(PICTURE_TOKAYEV))
XI_ID = str(entity_iri(PICTURE_XI))
KAZAKHSTAN_ID = str(entity_iri(PICTURE_KAZAKHSTAN))
EVIL_ID = str(entity_iri(EVIL_ORG))


@dataclass
class Watched:
    """A page and everything it did that it must not do."""

    page: sync_api.Page
    url: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def search(self, text: str) -> None:
        self.page.fill("#search-box", text)
        self.page.press("#search-box", "Enter")

    def wait_focused(self, node: str) -> None:
        self.page.wait_for_selector(f'body[data-focused="{node}"]', state="attached")

    def wait_ready(self) -> None:
        self.page.wait_for_selector('body[data-ready="true"]', state="attached")

    def position(self, node: str) -> tuple[float, float]:
        """Where a node is drawn, in page coordinates."""
        x, y = self.page.evaluate(
            """id => {
                const network = window.scoGraph.network;
                const at = network.canvasToDOM(network.getPositions([id])[id]);
                const box = document.getElementById("graph").getBoundingClientRect();
                return [box.left + at.x, box.top + at.y];
            }""",
            node,
        )
        return x, y

    def click_line(self, start: str, end: str) -> None:
        """Click the straight line from `start` to `end` where no name covers it."""
        (x1, y1), (x2, y2) = self.position(start), self.position(end)
        for t in (0.4, 0.5, 0.6, 0.3, 0.7):
            x, y = x1 + (x2 - x1) * t, y1 + (y2 - y1) * t
            under = self.page.evaluate("p => document.elementFromPoint(p[0], p[1]).tagName", [x, y])
            if under == "CANVAS":
                self.page.mouse.click(x, y)
                return
        raise AssertionError(f"names cover the whole line from {start} to {end}")

    def panel(self) -> str:
        return self.page.inner_text("#panel")

    def headings(self) -> list[str]:
        """The panel's section headings, as written (the page shows them in capitals)."""
        return self.page.locator("#panel h3").all_text_contents()

    def hidden(self, node: str) -> bool:
        return self.page.evaluate("id => window.scoGraph.nodes.get(id).hidden", node)

    def drawn(self) -> list[str]:
        """The nodes in the picture (shown or hidden by a filter)."""
        return self.page.evaluate("() => window.scoGraph.nodes.getIds()")

    def names(self) -> list[dict]:
        """The names shown over the picture: text, node and box (page coordinates)."""
        return self.page.evaluate(
            """() => [...document.querySelectorAll("#names-layer .node-label")]
                .filter(e => !e.hidden)
                .map(e => { const b = e.getBoundingClientRect();
                            return { text: e.textContent, id: e.dataset.id,
                                     x: b.x, y: b.y, width: b.width, height: b.height }; })"""
        )


@pytest.fixture(scope="module")
def browser() -> Iterator[sync_api.Browser]:
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_viz(small_graph(), tmp_path_factory.mktemp("viz") / "graph.html")


@pytest.fixture
def watched(browser: sync_api.Browser, page_file: Path) -> Iterator[Watched]:
    with open_page(browser, page_file, VIEWPORT) as result:
        yield result
    assert result.requests == [result.url]
    assert result.errors == []
    assert result.dialogs == []


@contextmanager
def open_page(browser: sync_api.Browser, path: Path, viewport: dict) -> Iterator[Watched]:
    """A fresh page on `path`, watched, with the picture settled."""
    context = browser.new_context(viewport=viewport, device_scale_factor=1)
    watched = Watched(context.new_page(), path.resolve().as_uri())
    page = watched.page
    page.set_default_timeout(20_000)

    def route(request_route: sync_api.Route) -> None:
        url = request_route.request.url
        watched.requests.append(url)
        if url == watched.url:
            request_route.continue_()
        else:
            request_route.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda error: watched.errors.append(str(error)))
    page.on(
        "console",
        lambda message: watched.errors.append(message.text) if message.type == "error" else None,
    )
    page.on("dialog", lambda dialog: (watched.dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(watched.url)
        watched.wait_ready()
        yield watched
    finally:
        context.close()


# -- the tests ------------------------------------------------------------------


def test_search_selects_centres_and_shows_the_entity_view(watched: Watched, tmp_path: Path) -> None:
    watched.search("Tokayev")
    watched.wait_focused(TOKAYEV_ID)
    page = watched.page
    assert page.evaluate("() => window.scoGraph.network.getSelectedNodes()") == [TOKAYEV_ID]
    assert page.inner_text("#panel h2") == "Kassym-Jomart Tokayev"
    # the view `sco-graph show` prints: groups, dated lines, evidence, story
    assert watched.headings() == ["Also called", "Posts (1)", "Meetings (2)",
                                  "Mentioned in 2 articles"]
    statements = page.locator("#panel .view .statement").all_inner_texts()
    assert [" ".join(s.split()) for s in statements] == [
        "2024-07-04 President of Kazakhstan",
        "2024-07-04 met Xi Jinping",
        "no date met Xi Jinping",
    ]
    assert page.locator("#panel .view .evidence").all_inner_texts() == [MET, MET, MET_AGAIN]
    sources = page.locator("#panel .view .source").all_inner_texts()
    assert sources == ["From Leaders meet in Astana · a.txt#0"] * 2 + ["From b.txt#0"]
    panel = watched.panel()
    assert "Person · 2 mentions · linked to 2 entities" in panel
    assert "President Tokayev · Tokayev" in panel  # aliases
    assert page.get_attribute("#panel a", "href") == "https://www.wikidata.org/wiki/Q200881"
    # Centred: the node is drawn in the middle of the picture, its name in bold.
    box = page.locator("#graph").bounding_box()
    x, y = watched.position(TOKAYEV_ID)
    assert abs(x - (box["x"] + box["width"] / 2)) < 2
    assert abs(y - (box["y"] + box["height"] / 2)) < 2
    assert page.inner_text("#names-layer .node-label.selected") == "Kassym-Jomart Tokayev"
    shot = tmp_path / "viz.png"
    page.screenshot(path=str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_overview_names_its_nodes_where_they_are_drawn(watched: Watched) -> None:
    names = watched.names()
    assert sorted(n["text"] for n in names) == sorted(
        ["Kassym-Jomart Tokayev", "Kazakhstan", "Xi Jinping", EVIL]
    )
    box = watched.page.locator("#graph").bounding_box()
    for name in names:
        x, y = watched.position(name["id"])
        # below, above, right or left of its node (its radius 30 pixels at most),
        # inside the picture
        dx, dy = abs(name["x"] + name["width"] / 2 - x), abs(name["y"] + name["height"] / 2 - y)
        assert (dx < 2 and dy < 45) or (dy < 2 and dx < name["width"] / 2 + 35), name
        assert box["x"] <= name["x"] and name["x"] + name["width"] <= box["x"] + box["width"]
    assert not _overlapping(names)


def test_clicking_a_node_shows_its_entity_view(watched: Watched) -> None:
    watched.page.mouse.click(*watched.position(XI_ID))
    assert watched.page.inner_text("#panel h2") == "Xi Jinping"
    assert watched.headings() == ["Also called", "Meetings (2)", "Mentioned in 2 articles"]
    panel = watched.panel()
    assert "met Kassym-Jomart Tokayev" in panel
    assert MET in panel and MET_AGAIN in panel
    assert "From b.txt#0" in panel  # an article without title or date
    # The other end is a link to its own view.
    watched.page.click("#panel .statement button")
    watched.wait_focused(TOKAYEV_ID)
    assert watched.page.inner_text("#panel h2") == "Kassym-Jomart Tokayev"


def test_clicking_a_name_opens_its_view(watched: Watched) -> None:
    watched.page.click(f'#names-layer .node-label[data-id="{KAZAKHSTAN_ID}"]')
    assert watched.page.inner_text("#panel h2") == "Kazakhstan"
    assert watched.headings() == ["Also called", "Posts (1)", "Memberships (1)",
                                  "Mentioned in 1 article"]
    assert "Kassym-Jomart Tokayev: President" in watched.panel()


def test_clicking_an_edge_shows_that_facts_evidence(watched: Watched) -> None:
    watched.click_line(TOKAYEV_ID, KAZAKHSTAN_ID)
    assert watched.page.inner_text("#panel h2") == "holdsPosition (President)"
    panel = watched.panel()
    assert "Kassym-Jomart Tokayev holdsPosition Kazakhstan" in panel
    assert "role: President · confidence 0.90" in panel
    assert MET in panel
    assert "From Leaders meet in Astana (2024-07-04) · rule pattern:title" in panel
    assert MET_AGAIN not in panel  # only this fact, not the meeting's


def test_one_line_carries_every_fact_of_a_relation(watched: Watched) -> None:
    watched.click_line(TOKAYEV_ID, XI_ID)
    assert watched.page.inner_text("#panel h2") == "met"
    panel = watched.panel()
    assert watched.headings() == ["Evidence (2 facts)"]
    assert "confidence 0.75" in panel and "confidence 0.60" in panel
    assert MET in panel and MET_AGAIN in panel


def test_articles_start_hidden_and_filters_switch_types(watched: Watched) -> None:
    page = watched.page
    assert not page.is_checked("#filters input[value=Article]")
    assert watched.hidden(ARTICLE_A) and watched.hidden(ARTICLE_B)
    page.check("#filters input[value=Article]")
    watched.wait_ready()
    assert not watched.hidden(ARTICLE_A) and not watched.hidden(ARTICLE_B)
    page.uncheck("#filters input[value=Person]")
    watched.wait_ready()
    assert watched.hidden(TOKAYEV_ID) and watched.hidden(XI_ID)
    assert not watched.hidden(KAZAKHSTAN_ID)
    # Searching for a hidden type's entity brings the type back.
    watched.search("Xi Jinping")
    watched.wait_focused(XI_ID)
    assert page.is_checked("#filters input[value=Person]")
    assert not watched.hidden(XI_ID)


def test_the_relation_filter_hides_its_lines_and_keeps_the_nodes(watched: Watched) -> None:
    page = watched.page
    labels = page.locator("#relation-filters label").all_inner_texts()
    assert [" ".join(label.split()) for label in labels] == [
        "holdsPosition (1)", "memberOf (1)", "met (2)"]
    shown_lines = """() => window.scoGraph.edges.get({ filter: e => !e.hidden })
                          .map(e => e.label).sort()"""
    assert page.evaluate(shown_lines) == [
        "holdsPosition (President)", "memberOf (member)", "met ×2"]
    page.uncheck("#relation-filters input[value=met]")
    assert page.evaluate(shown_lines) == ["holdsPosition (President)", "memberOf (member)"]
    assert not watched.hidden(XI_ID)
    page.check("#relation-filters input[value=met]")
    assert len(page.evaluate(shown_lines)) == 3


def test_text_from_articles_is_shown_as_text_never_run(watched: Watched) -> None:
    watched.search("alert")
    watched.wait_focused(EVIL_ID)
    page = watched.page
    assert page.inner_text("#panel h2") == EVIL
    assert EVIL_SENTENCE in watched.panel()
    assert page.locator("#panel script, #panel b, #panel img").count() == 0
    # (the fixture checks that no dialog opened and nothing was fetched)


def test_an_unknown_name_is_reported(watched: Watched) -> None:
    watched.search("Nobody at all")
    assert watched.page.inner_text("#search-message") == "Nothing called “Nobody at all”"
    assert watched.page.inner_text("#panel h2") == "Explore the graph"


def test_a_capped_overview_draws_the_most_connected_and_search_finds_the_rest(
    browser: sync_api.Browser, tmp_path: Path
) -> None:
    path = write_viz(small_graph(), tmp_path / "capped.html", overview=2)
    with open_page(browser, path, VIEWPORT) as watched:
        # Tokayev and Kazakhstan share facts with two others each; Xi and the
        # organisation with one.
        entities = [n for n in watched.drawn() if "/article/" not in n]
        assert sorted(entities) == sorted([TOKAYEV_ID, KAZAKHSTAN_ID])
        assert watched.page.inner_text("#note").endswith(
            "Drawn: the 2 most connected entities; 2 others are found by the search box.")
        watched.search("Xi Jinping")
        watched.wait_focused(XI_ID)
        assert XI_ID in watched.drawn()
        assert watched.page.inner_text("#panel h2") == "Xi Jinping"
        # drawn with its lines to the drawn nodes (and the articles, hidden)
        connected = watched.page.evaluate(
            "id => window.scoGraph.network.getConnectedNodes(id)", XI_ID)
        assert [n for n in connected if "/article/" not in n] == [TOKAYEV_ID]
        assert "Xi Jinping" in [n["text"] for n in watched.names()]
    assert watched.requests == [watched.url] and watched.errors == [] == watched.dialogs


# -- the bundled corpus: the README's screenshots -------------------------------------


@pytest.mark.slow
def test_the_corpus_overview_is_named_and_searchable(
    browser: sync_api.Browser, tmp_path: Path
) -> None:
    import sco_graph

    image = pytest.importorskip("PIL.Image", reason="needs Pillow (the notebook extra)")
    graph = sco_graph.build([CORPUS], None).graph
    path = write_viz(graph, tmp_path / "corpus.html")
    overview, entity = REPO / "docs" / "viz.png", REPO / "docs" / "viz-entity.png"
    with open_page(browser, path, {"width": 1600, "height": 1000}) as watched:
        page = watched.page
        page.screenshot(path=str(overview))
        names = watched.names()
        # About thirty names, the most connected among them, none over another.
        assert 25 <= len(names) <= 30
        texts = {n["text"] for n in names}
        assert {"Kassym-Jomart Tokayev", "Shanghai Cooperation Organisation", "SCO summit",
                "Kazakhstan", "China"} <= texts
        assert not _overlapping(names)
        # The screenshot shows them: dark text pixels in each name's box.
        shot = image.open(overview).convert("L")
        for name in names:
            crop = shot.crop((int(name["x"]), int(name["y"]),
                              int(name["x"] + name["width"]), int(name["y"] + name["height"])))
            assert crop.getextrema()[0] < 80, name["text"]
        # Not blank: the picture area has many drawn pixels, in the types' colours.
        graph_box = page.locator("#graph").bounding_box()
        area = image.open(overview).convert("RGB").crop((
            int(graph_box["x"]), int(graph_box["y"]),
            int(graph_box["x"] + graph_box["width"]), int(graph_box["y"] + graph_box["height"])))
        size = area.width * area.height
        counts = {colour: n for n, colour in area.getcolors(size)}
        assert size - counts.get((255, 255, 255), 0) > 0.02 * size
        for colour in ("#4e79a7", "#e15759", "#f28e2b"):  # people, countries, organisations
            rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
            assert counts.get(rgb, 0) > 200, colour
        # Typing his surname finds him, centres him and opens his view.
        tokayev = str(sco_graph.show(graph, "Tokayev").iri)
        watched.search("Tokayev")
        watched.wait_focused(tokayev)
        assert page.evaluate("() => window.scoGraph.network.getSelectedNodes()") == [tokayev]
        assert page.inner_text("#panel h2") == "Kassym-Jomart Tokayev"
        headings = watched.headings()
        assert [h for h in headings if h.startswith(("Posts", "Meetings"))] == [
            f"{g.title} ({len(g.lines)})" for g in sco_graph.show(graph, "Tokayev").groups
            if g.title in ("Posts", "Meetings")
        ]
        assert "met Vladimir Putin" in watched.panel()
        page.screenshot(path=str(entity))


def _overlapping(names: list[dict]) -> list[tuple[str, str]]:
    return [
        (a["text"], b["text"])
        for i, a in enumerate(names) for b in names[i + 1 :]
        if a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]
    ]  # fmt: skip
