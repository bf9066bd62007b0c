"""The web UI in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright for Python)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("NEWSGRAPH_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]
SHOTS = os.environ.get("NEWSGRAPH_SCREENSHOTS")  # a folder: save a screenshot of every page visited

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason="Debian's chromium is not installed (.ci/run installs it)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(store) -> Iterator[str]:
    """The app (as `newsgraph serve` builds it) in a thread on a free loopback port."""
    import uvicorn

    from newsgraph.api import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@contextmanager
def serving_records(folder: Path, records) -> Iterator[str]:
    """A server over a new SQLite store in `folder` holding `records`."""
    from newsgraph.store import open_store

    store = open_store(folder / "store.db")
    for record in records:
        store.writer.write(record)
    try:
        with serving(store) as url:
            yield url
    finally:
        store.close()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory, store_records) -> Iterator[str]:
    """A server over a SQLite store holding the hand-written test records."""
    with serving_records(tmp_path_factory.mktemp("web"), store_records) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)  # a phone
    tab = context.new_page()
    tab.set_default_timeout(15000)
    dialogs: list[str] = []
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    tab.dialogs = dialogs
    yield tab
    context.close()


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_browser_story_list_to_search(live_server, page):
    page.goto(live_server + "/")
    assert page.locator("h1").inner_text() == "Stories"
    assert page.locator("svg.spark").count() >= 1  # coverage sparkline
    assert _fits_the_screen(page)
    _shot(page, "1-stories")

    page.locator('a.story-title[href="/stories/S_ferry"]').click()  # its title: the most central headline
    page.wait_for_url("**/stories/S_ferry")
    assert page.locator("ol.timeline > li").count() == 3
    assert "the ferry will cut commutes in half." in page.locator("ul.quotes").inner_text()
    _shot(page, "2-story")

    page.locator("ol.timeline").get_by_role("link", name="Harbour Council approves new ferry line").click()
    page.wait_for_url("**/articles/ferry-1")
    marks = page.locator("mark.quote")
    assert marks.count() == 3
    first = marks.first
    assert first.inner_text() == "the ferry will cut commutes in half."
    assert first.get_attribute("data-speaker") == "Lena Ortiz"
    first.hover()
    tip = page.evaluate("getComputedStyle(document.querySelector('mark.quote'), '::after').content")
    assert "Lena Ortiz" in tip  # hovering a quote shows its speaker
    assert _fits_the_screen(page)
    _shot(page, "3-article")

    page.locator("aside").get_by_role("link", name="Lena Ortiz").first.click()
    page.wait_for_url("**/entities/E_ortiz")
    assert page.locator("h1").inner_text().startswith("Lena Ortiz")
    assert "mayor" in page.locator(".roles").inner_text()
    assert page.locator("ul.quotes li.quote").count() == 3
    _shot(page, "4-speaker")

    page.get_by_label("Search").fill("fishing fleet")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search?q=fishing+fleet")
    results = page.locator("ul.results")
    assert "Harbour Council approves new ferry line" in results.inner_text()
    assert page.locator("ul.results mark").count() >= 1
    _shot(page, "5-search")
    assert page.dialogs == []


@pytest.mark.parametrize("path", ["/articles/unsafe-1", "/entities/E_joe", "/stories/S_ferry", "/posts/P_evil",
                                  "/search?q=hacker", "/quotes"])
def test_browser_untrusted_text_never_runs(live_server, page, path):
    page.goto(live_server + path)
    page.wait_for_load_state("load")
    page.mouse.move(200, 300)
    for mark in page.locator("mark").all()[:5]:
        mark.hover()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.dialogs == []
    assert page.locator("main script, main img:not(figure.chart > img), main b, main i").count() == 0
    assert page.locator('a[href^="javascript:" i]').count() == 0


def test_browser_markup_in_article_shows_as_text(live_server, page):
    page.goto(live_server + "/articles/unsafe-1")
    text = page.locator("#article-text").inner_text()
    assert '<script>window.__pwned = 1; alert("x")</script>' in text
    assert '<img src=x onerror="window.__pwned=3">' in text
    assert page.locator("h1").inner_text().startswith('<img src=x onerror="window.__pwned=5">')
    _shot(page, "6-unsafe")


@pytest.mark.model
def test_browser_ingested_page_with_markup_is_inert(tmp_path, fixtures_dir, settings, page):
    """Through the real pipeline: `newsgraph ingest` of an article full of markup, then the browser."""
    from newsgraph.store import open_store
    from newsgraph.store.ingest import ingest

    store = open_store(tmp_path / "ingested.db")
    summary = ingest([str(fixtures_dir / "store" / "ingest" / "unsafe.jsonl")], settings, store)
    assert summary.articles == 1
    with serving(store) as url:
        page.goto(url + "/articles/unsafe-page")
        page.locator("#article-text").hover()
        assert "<script>window.__pwned = 1;" in page.locator("#article-text").inner_text()
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.dialogs == []
        assert page.locator("main script, main img:not(figure.chart > img), main b, main a[href^='javascript:' i]").count() == 0
        page.goto(url + "/")
        page.locator("ol.stories a").first.click()
        assert page.evaluate("typeof window.__pwned") == "undefined"
    store.close()


def test_browser_story_shows_the_timeline_of_dated_events(live_server, page):
    page.goto(live_server + "/stories/S_ferry")
    events = page.locator("ol.events > li.event")
    assert events.count() == 2
    assert [t.get_attribute("datetime") for t in page.locator("ol.events time").all()] == ["2024-03-05", "2024-03-08"]
    assert events.first.locator("mark").inner_text() == "Tuesday"  # the date, marked in its sentence
    assert "the ferry will cut commutes in half" in events.first.locator(".snippet").inner_text()
    assert page.locator(".key-entities a.entity.person").first.get_attribute("href").startswith("/entities/E_")
    assert _fits_the_screen(page)
    _shot(page, "7-story-events")
    events.nth(1).get_by_role("link", name="Coast Daily").click()
    page.wait_for_url("**/articles/ferry-2")


def test_browser_untitled_story_is_named_by_its_lead(tmp_path, page):
    """A story of .txt articles (no headlines), with markup in the sentence that dates its event."""
    import json

    from newsgraph.records import Record
    from newsgraph.store import open_store

    path = Path(__file__).parents[1] / "fixtures" / "store" / "summaries" / "records.jsonl"
    records = [Record.from_dict(json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines()]
    text = 'Flooding <img src=x onerror="window.__pwned=11"> closed the river road on Sunday. Crews pumped.'
    start = text.index("Sunday")
    records.append(Record.from_dict({
        "doc_id": "notes/flood.txt", "source": "flood.txt", "title": None, "url": None, "outlet": None,
        "text": text, "published": "2024-06-03",
        "dates": [{"text": "Sunday", "start": start, "end": start + 6, "value": "2024-06-02"}],
        "story_id": "S_flood"}))
    store = open_store(tmp_path / "summaries.db")
    for record in records:
        store.writer.write(record)
    with serving(store) as url:
        page.goto(url + "/")
        titles = page.locator("a.story-title").all_inner_texts()
        assert "Residents of Pine Hill reported a strong smell of gas on Sunday evening, and…" in titles
        assert not any(t.startswith("S_") for t in titles)  # never a bare id
        page.get_by_role("link", name="Elm Street bridge to close for repairs").click()
        page.wait_for_url("**/stories/S_bridge")
        assert page.locator("ol.events > li.event").count() == 3
        assert page.locator("ul.quotes li.quote").first.locator("a.speaker").get_attribute("href") == "/entities/E_nair"
        assert "in 2 articles" in page.locator("ul.quotes li.quote").first.inner_text()
        assert page.locator('ul.posts a[href="/posts/P_city"]').count() == 1
        assert _fits_the_screen(page)
        page.goto(url + "/stories/S_flood")
        assert page.locator("h1").inner_text().startswith("Flooding <img src=x")
        assert page.locator("ol.events mark").inner_text() == "Sunday"
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.locator("main img:not(figure.chart > img)").count() == 0
    store.close()
