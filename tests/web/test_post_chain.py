"""A post's page (issue 8): its reshare chain as a tree, the reactions with their tone, coverage and reach.

The records (tests/fixtures/post_chain/records.jsonl, written by hand) hold a chain across three articles:
an Instagram video, a tweet sharing it, a senator's retweet of that tweet; two replies to the tweet, one of
them full of markup; and the video's views reported on two days.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

# the browser fixtures and helpers of the web UI's browser suite (tests/web has no package: plain import)
from test_browser import CHROMIUM, _fits_the_screen, _shot, browser, page, serving_records  # noqa: F401

from newsgraph.api import create_app
from newsgraph.records import Record

RECORDS = Path(__file__).parent.parent / "fixtures" / "post_chain" / "records.jsonl"


def chain_records() -> list[Record]:
    return [Record.from_dict(json.loads(line)) for line in RECORDS.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def chain_client(store) -> Iterator[TestClient]:
    """SQLite and PostgreSQL (the `store` fixture) holding the chain records."""
    for rec in chain_records():
        store.writer.write(rec)
    with TestClient(create_app(store)) as client:
        yield client


def test_post_chain_api_returns_chain_reactions_coverage(chain_client):
    body = chain_client.get("/api/posts/P_grant").json()
    assert body["origin"] == "P_calder"
    assert [(n["id"], n["depth"], n["parent"], n["current"]) for n in body["chain"]] == [
        ("P_calder", 0, None, False), ("P_reyes", 1, "P_calder", False), ("P_grant", 2, "P_reyes", True)]
    assert [(r["id"], r["reacts_to"], r["tone"]) for r in body["reactions"]] == [
        ("P_harper", "P_reyes", 0.87), ("P_troll", "P_reyes", -0.7)]
    assert [(c["published"], c["outlet"], c["post_id"]) for c in body["coverage"]] == [
        ("2023-04-03", "Harbour Gazette", "P_calder"), ("2023-04-04", "Coastal Post", "P_calder"),
        ("2023-04-04", "Coastal Post", "P_reyes"), ("2023-04-05", "Daily Ledger", "P_grant"),
        ("2023-04-05", "Daily Ledger", "P_reyes")]
    reach = chain_client.get("/api/posts/P_calder").json()["reach"]
    assert [(r["reported"], r["metrics"]) for r in reach] == [("2023-04-03", {"views": 52000}),
                                                              ("2023-04-04", {"views": 410000})]


def test_post_chain_api_lone_post_is_its_own_chain(chain_client):
    body = chain_client.get("/api/posts/P_harper").json()
    assert [n["id"] for n in body["chain"]] == ["P_harper"]
    assert body["reactions"] == [] and [c["doc_id"] for c in body["coverage"]] == ["whale-b"]


def test_post_chain_api_gives_untrusted_text_as_json_data(chain_client):
    response = chain_client.get("/api/posts/P_reyes")
    assert response.headers["content-type"].startswith("application/json")
    troll = next(r for r in response.json()["reactions"] if r["id"] == "P_troll")
    assert troll["text"].startswith("<script>window.__pwned=20</script>")  # data, for the client to escape


@pytest.mark.parametrize("path", ["/posts/P_reyes", "/posts/P_grant", "/posts/P_troll", "/posts/P_calder"])
def test_post_chain_untrusted_post_text_is_escaped(chain_client, path):
    response = chain_client.get(path)
    assert response.status_code == 200
    html = response.text
    assert "<script>window" not in html
    assert "<img" not in html
    assert 'href="javascript:' not in html.lower()
    if path.startswith("/posts/P_reyes"):
        assert "&lt;script&gt;window.__pwned=20&lt;/script&gt;" in html


# ---- in a real browser (skipped where Debian's chromium is missing, like tests/web/test_browser.py)

@pytest.fixture(scope="module")
def chain_server(tmp_path_factory) -> Iterator[str]:
    with serving_records(tmp_path_factory.mktemp("chain"), chain_records()) as url:
        yield url


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_post_chain_in_the_browser(chain_server, page):  # noqa: F811 - `page` is the browser suite's fixture
    page.goto(chain_server + "/posts/P_grant")
    tree = page.locator("section.chain")
    nodes = tree.locator("li.chain-node")
    assert nodes.count() == 3
    assert nodes.nth(0).get_attribute("data-post") == "P_calder"
    # the senator's retweet sits two levels down the origin's tree, and is the page's own post
    assert tree.locator("li.chain-node li.chain-node li.chain-node.current").get_attribute("data-post") == "P_grant"
    reactions = tree.locator("li[data-post='P_reyes'] > ul.reactions > li.reaction")
    assert reactions.count() == 2
    assert reactions.nth(0).locator(".tone").inner_text() == "positive"
    assert reactions.nth(1).locator(".tone").inner_text() == "negative"
    assert "<script>window.__pwned=20</script>" in reactions.nth(1).inner_text()  # shown as text
    coverage = page.locator("ol.coverage > li")
    assert coverage.count() == 5
    assert coverage.first.inner_text().startswith("2023-04-03 Harbour Gazette")
    assert _fits_the_screen(page)
    _shot(page, "7-post-chain")

    tree.get_by_role("link", name="Iris Calder").click()
    page.wait_for_url("**/posts/P_calder")
    rows = page.locator("table.reach tbody tr")
    assert rows.count() == 2
    assert "410,000 views" in rows.nth(1).inner_text()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.dialogs == []
