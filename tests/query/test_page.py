"""The query page's routes on the endpoint, over real HTTP (query/page.py, query/endpoint.py).

What the page does in a browser is tested in test_page_browser.
"""

from __future__ import annotations

import http.client
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from builders import small_graph

from sco_graph.graph.vocab import ALL_PREFIXES
from sco_graph.query.endpoint import SparqlServer
from sco_graph.query.page import CONTENT_SECURITY_POLICY
from sco_graph.query.saved_queries import load_query

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

MAX_RESULTS = 3
TOKAYEV = "person:kassym-jomart-tokayev"
JSON_RESULTS = "application/sparql-results+json"


@pytest.fixture(scope="module")
def server() -> Iterator[SparqlServer]:
    with SparqlServer(small_graph().dataset(), port=0, max_results=MAX_RESULTS) as running:
        yield running


@dataclass(frozen=True)
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")


def get(
    server: SparqlServer, target: str, method: str = "GET", headers: dict[str, str] | None = None
) -> Response:
    """`target` sent as written (no client normalises `..` away)."""
    connection = http.client.HTTPConnection(*server.address, timeout=30)
    try:
        connection.request(method, target, headers=headers or {})
        answer = connection.getresponse()
        return Response(answer.status, answer.headers, answer.read())
    finally:
        connection.close()


def rows(answer: Response) -> list[dict[str, str]]:
    assert (answer.status, answer.content_type) == (200, JSON_RESULTS), answer.text
    bindings = json.loads(answer.body)["results"]["bindings"]
    return [{name: term["value"] for name, term in row.items()} for row in bindings]


def test_the_page_is_served_under_a_strict_content_security_policy(server) -> None:
    for target in ("/", "/?query=SELECT+*+WHERE+%7B%7D", "/?saved=posts&person=x"):
        answer = get(server, target)
        assert (answer.status, answer.content_type) == (200, "text/html; charset=utf-8")
        assert answer.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self';" in CONTENT_SECURITY_POLICY
    assert "default-src 'none';" in CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
    page = answer.text
    # Scripts and styles from this server only, none inline, nothing from elsewhere.
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/assets/page.js" defer>']
    assert re.findall(r'(?:href|src)="([^"]*)"', page) == [
        "/assets/favicon.svg",
        "/assets/page.css",
        "/assets/page.js",
        "/sparql",
    ]
    assert "<style" not in page and " style=" not in page and " on" not in page


def test_the_assets_are_served_and_nothing_else(server) -> None:
    script = get(server, "/assets/page.js")
    assert (script.status, script.content_type) == (200, "text/javascript; charset=utf-8")
    assert script.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    style = get(server, "/assets/page.css")
    assert (style.status, style.content_type) == (200, "text/css; charset=utf-8")
    for target in ("/assets/missing.js", "/assets/../page.py", "/assets/%2e%2e/page.py",
                   "/assets/", "/assets/index.html"):  # fmt: skip
        answer = get(server, target)
        path = target.split("?")[0]
        assert (answer.status, answer.text) == (404, f"{path} is not an asset of the page\n")


def test_queries_lists_the_saved_queries_and_the_prefixes(server) -> None:
    answer = get(server, "/queries")
    assert (answer.status, answer.content_type) == (200, "application/json")
    listing = json.loads(answer.body)
    assert listing["prefixes"] == ALL_PREFIXES
    posts = next(query for query in listing["queries"] if query["name"] == "posts")
    saved = load_query("posts")
    assert posts == {
        "name": "posts",
        "title": "Who holds which post",
        "description": saved.description,
        "sparql": saved.sparql,
        "params": [
            {
                "name": "person",
                "kind": "IRI",
                "meaning": "the person holding the post",
                "required": False,
            },
            {
                "name": "organization",
                "kind": "IRI",
                "meaning": "the country or organisation the post is in",
                "required": False,
            },
        ],
    }
    assert [query["name"] for query in listing["queries"]][:3] == [
        "co-mentions",
        "documents-by-year",
        "evidence",
    ]


def test_a_saved_query_runs_with_its_parameters_bound(server) -> None:
    [post] = rows(get(server, "/queries/posts", headers={"Accept": JSON_RESULTS}))
    assert (post["personLabel"], post["role"], post["organizationLabel"]) == (
        "Kassym-Jomart Tokayev",
        "President",
        "Kazakhstan",
    )
    assert rows(get(server, f"/queries/posts?person={TOKAYEV}")) == [post]
    assert rows(get(server, "/queries/posts?person=person/xi-jinping")) == []
    assert rows(get(server, "/queries/posts?organization=country:kazakhstan")) == [post]
    csv = get(server, f"/queries/posts?person={TOKAYEV}&format=csv")
    assert (csv.status, csv.content_type) == (200, "text/csv; charset=utf-8")
    assert csv.text.splitlines()[0] == (
        "person,personLabel,role,organization,organizationLabel,start,end,sentence,article,date"
    )


def test_a_parameter_value_never_becomes_query_text(server) -> None:
    # Were it pasted in, this would end the pattern and match everyone's posts.
    injected = "person:nobody%20%7D%20UNION%20%7B%20?person%20?p%20?o"
    answer = get(server, f"/queries/posts?person={injected}")
    assert (answer.status, answer.text) == (
        400,
        "saved query 'posts', parameter 'person': 'person:nobody } UNION { ?person ?p ?o' is "
        "not an IRI: write <…>, http…, a prefixed name such as sco:Person or person:xi-jinping, "
        "or a path such as person/xi-jinping\n",
    )


@pytest.mark.parametrize(
    ("target", "status", "message"),
    [
        ("/queries/nope", 404, "no saved query named 'nope'; the saved queries are co-mentions, "
         "documents-by-year, evidence, meetings, memberships, mentions, posts, proposals, "
         "timeline"),
        ("/queries/posts?actor=person:xi", 400, "saved query 'posts' has no parameter 'actor'; "
         "its parameters are person, organization"),
        ("/queries/mentions", 400, "saved query 'mentions' needs a value for 'entity' (the "
         "entity, e.g. person:kassym-jomart-tokayev)"),
        (f"/queries/posts?person={TOKAYEV}&person={TOKAYEV}", 400,
         "parameter 'person' is given 2 times; give it once"),
        ("/queries/posts?person=%zz", 400, "bad percent-encoding in the URL: '%zz' is not % and "
         "two hex digits"),
        ("/queries/posts?format=html", 406, "format=html is not offered here; use one of json, "
         "xml, csv, tsv"),
        # the endpoint's limits hold: more rows than --max-results are refused
        ("/queries/meetings", 400, f"query has more than {MAX_RESULTS} result rows, the limit of "
         f"this endpoint; add a LIMIT (at most {MAX_RESULTS}) or narrow the query"),
    ],
)  # fmt: skip
def test_saved_query_errors_are_one_line(server, target: str, status: int, message: str) -> None:
    answer = get(server, target)
    assert (answer.status, answer.content_type, answer.text) == (
        status,
        "text/plain; charset=utf-8",
        f"{message}\n",
    )


def test_the_page_answers_get_only(server) -> None:
    for target in ("/", "/queries", "/queries/posts", "/assets/page.js"):
        answer = get(server, target, method="POST")
        assert (answer.status, answer.text) == (405, f"{target} answers GET only, not POST\n")
        assert answer.headers["Allow"] == "GET"


def test_the_page_refuses_foreign_hosts_like_the_endpoint(server) -> None:
    answer = get(server, "/", headers={"Host": "rebound.example"})
    assert answer.status == 403
    assert answer.text.startswith("Host rebound.example is not served here")
