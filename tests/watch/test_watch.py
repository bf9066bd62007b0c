"""newsgraph watch end to end against a real local HTTP server: sources, polls, state in the store, restarts."""

from __future__ import annotations

import asyncio
import os
import queue
import signal
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import select, update
from watchsite import PlainExtractor, article_html, rss, serve

from newsgraph.config import load_settings
from newsgraph.store import open_store
from newsgraph.store.schema import articles, watch_sources, watch_urls
from newsgraph.watch import state
from newsgraph.watch.config import WatchConfig
from newsgraph.watch.run import Watcher, in_host_turns

FAST = {"delay": 0.0, "backoff": 0.05, "attempts": 2, "timeout": 2.0, "interval": 60.0, "min_interval": 1.0}


@pytest.fixture
def db(tmp_path):
    store = open_store(tmp_path / "watch.db")
    yield store
    store.close()


def _watcher(store, **config) -> Watcher:
    settings = load_settings(environ={})
    return Watcher(store, settings, WatchConfig.from_settings({**FAST, **config}), extractor=PlainExtractor())


def _pass(watcher: Watcher, sources: list[str]):
    names = watcher.add(sources)
    return asyncio.run(watcher.run(once=True, only=names))[0]


def _due_now(store) -> None:
    with store.engine.begin() as conn:
        conn.execute(update(watch_sources).values(next_poll=0.0))


def _stored(store) -> list[str]:
    with store.engine.connect() as conn:
        return sorted(conn.execute(select(articles.c.doc_id)).scalars())


def test_watch_feed_polled_again_fetches_only_what_is_new(site, db):
    version = {"n": 1}

    def feed(headers):
        tag = f'"v{version["n"]}"'
        if headers.get("if-none-match") == tag:
            return 304, {"ETag": tag}, b""
        items = [(f"Story {i}", site.url(f"/s{i}")) for i in range(1, version["n"] + 2)]
        return 200, {"ETag": tag, "Content-Type": "application/rss+xml"}, rss(items)

    site.routes["/feed.xml"] = feed
    for i in range(1, 5):
        site.routes[f"/s{i}"] = (200, {}, article_html(f"Story {i}", f"Words of story {i}."))
    first = _pass(_watcher(db), [site.url("/feed.xml")])
    assert (first.new_urls, first.stored) == (2, 2)
    assert _stored(db) == [site.url("/s1"), site.url("/s2")]

    _due_now(db)
    second = _pass(_watcher(db), [site.url("/feed.xml")])  # unchanged: a 304, nothing fetched
    assert (second.new_urls, second.stored) == (0, 0)
    assert site.log[-1][1].get("if-none-match") == '"v1"'

    version["n"] = 2  # the feed changes: one new item
    _due_now(db)
    third = _pass(_watcher(db), [site.url("/feed.xml")])
    assert (third.new_urls, third.stored) == (1, 1)
    assert [site.hits(f"/s{i}") for i in (1, 2, 3)] == [1, 1, 1]
    row = state.source(db, site.url("/feed.xml"))
    assert (row["kind"], row["articles"], row["found"], row["polls"]) == ("feed", 3, 3, 3)


def test_watch_source_not_due_is_not_polled(site, db):
    site.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, rss([]))
    _pass(_watcher(db), [site.url("/feed.xml")])
    _pass(_watcher(db), [site.url("/feed.xml")])
    assert site.hits("/feed.xml") == 1


def test_watch_duplicate_urls_with_tracking_parameters_are_one_article(site, db):
    site.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, rss([
        ("A", site.url("/story?utm_source=rss&id=7")), ("A again", site.url("/story?id=7&fbclid=xyz")),
        ("A once more", site.url("/story?id=7#comments"))]))
    site.routes["/story?id=7"] = (200, {}, article_html("A", "The words of A."))
    stats = _pass(_watcher(db), [site.url("/feed.xml?utm_medium=x")])
    assert stats.stored == 1
    assert _stored(db) == [site.url("/story?id=7")]
    assert site.hits("/story?id=7") == 1


def test_watch_failures_are_reported_by_source_and_url(site, db):
    site.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n")
    site.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, rss([
        ("Secret", site.url("/private/x")), ("Image", site.url("/img")), ("Down", site.url("/down")),
        ("Fine", site.url("/ok"))]))
    site.routes["/img"] = (200, {"Content-Type": "image/png"}, b"\x89PNG")
    site.routes["/down"] = (503, {}, b"")
    site.routes["/ok"] = (200, {}, article_html("Fine", "Fine words."))
    events = []
    watcher = _watcher(db)
    watcher.on_event = events.append
    stats = _pass(watcher, [site.url("/feed.xml")])
    assert (stats.stored, stats.failed) == (1, 3)
    codes = {e.url: e.code for e in events if e.kind == "error"}
    assert codes == {site.url("/private/x"): "NG610", site.url("/img"): "NG614", site.url("/down"): "NG612"}
    assert all(e.source == site.url("/feed.xml") for e in events if e.kind == "error")
    report = state.report(db)
    assert report["urls"] == {"done": 1, "failed": 2, "queued": 1}  # the 503 is tried again next time
    assert report["sources"][0]["errors"] == 2


def test_watch_sitemap_index_url_file_and_home_page(site, db, tmp_path):
    site.routes["/"] = (200, {}, (f'<html><head><link rel="alternate" type="application/rss+xml" '
                                  f'href="{site.url("/feed.xml")}"></head><body>Home</body></html>').encode())
    site.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, rss([("F", site.url("/f"))]))
    site.routes["/sitemap.xml"] = (200, {"Content-Type": "application/xml"}, (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f'<sitemap><loc>{site.url("/news.xml")}</loc></sitemap></sitemapindex>').encode())
    site.routes["/news.xml"] = (200, {"Content-Type": "application/xml"}, (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f'<url><loc>{site.url("/n")}</loc><news:news><news:publication_date>2024-05-06T10:00:00Z'
        '</news:publication_date></news:news></url></urlset>').encode())
    listed = tmp_path / "urls.txt"
    listed.write_text(f"# picked by hand\n{site.url('/u')}\n\n", encoding="utf-8")
    for path in ("/f", "/n", "/u"):
        site.routes[path] = (200, {}, article_html(f"Page {path}", f"Words of {path}."))
    stats = _pass(_watcher(db), [site.url("/"), site.url("/sitemap.xml"), str(listed)])
    assert stats.stored == 3
    assert _stored(db) == sorted([site.url("/f"), site.url("/n"), site.url("/u")])
    kinds = {s["url"]: s["kind"] for s in state.report(db)["sources"]}
    assert kinds == {site.url("/"): "home", site.url("/feed.xml"): "feed", site.url("/sitemap.xml"): "sitemap",
                     site.url("/news.xml"): "sitemap", str(listed): "file"}


def test_watch_restart_fetches_only_what_is_left(site, db):
    site.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, rss([
        ("A", site.url("/a")), ("B", site.url("/b"))]))
    site.routes["/a"] = (200, {}, article_html("A", "Words of A."))
    site.routes["/b"] = (503, {}, b"")
    _pass(_watcher(db), [site.url("/feed.xml")])
    site.routes["/b"] = (200, {}, article_html("B", "Words of B."))
    again = _watcher(db)  # a new process: everything from the store
    asyncio.run(again.run(once=True, only=[site.url("/feed.xml")]))  # not due: no poll, the queue drained
    assert _stored(db) == [site.url("/a"), site.url("/b")]
    assert (site.hits("/feed.xml"), site.hits("/a")) == (1, 1)


def test_watch_status_command_lists_sources(site, db, tmp_path):
    from typer.testing import CliRunner

    from newsgraph.cli import app

    site.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, rss([("A", site.url("/a"))]))
    site.routes["/a"] = (500, {}, b"")
    _pass(_watcher(db), [site.url("/feed.xml")])
    result = CliRunner().invoke(app, ["status", "--db", str(tmp_path / "watch.db")])
    assert result.exit_code == 0, result.output
    assert "feed.xml" in result.output and "1 queued" in result.output


def _read_lines(proc: subprocess.Popen, into: queue.Queue) -> None:
    for line in proc.stderr:  # type: ignore[union-attr]
        into.put(line)


@pytest.mark.model
def test_watch_killed_mid_run_and_restarted_loses_nothing(site, tmp_path):
    """kill -9 while pages are being stored; the restart stores the rest and fetches no stored page again."""
    pages = [f"/p{i}" for i in range(8)]
    site.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"},
                                rss([(f"P{i}", site.url(p)) for i, p in enumerate(pages)]))
    for i, p in enumerate(pages):
        site.routes[p] = (200, {}, article_html(f"Harbour report {i}", f"Harbour council vote {i} words."))
    config = tmp_path / "watch.toml"
    config.write_text("[watch]\ndelay = 0.3\nbatch = 1\nconcurrency = 1\n", encoding="utf-8")
    db_path = tmp_path / "killed.db"
    command = [sys.executable, "-m", "newsgraph", "watch", site.url("/feed.xml"), "--db", str(db_path),
               "--once", "--config", str(config)]
    proc = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, start_new_session=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_read_lines, args=(proc, lines), daemon=True).start()
    stored_lines = 0
    deadline = time.monotonic() + 240
    while stored_lines < 3 and time.monotonic() < deadline:
        try:
            line = lines.get(timeout=5)
        except queue.Empty:
            continue
        stored_lines += "/p" in line and "items" not in line
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert stored_lines >= 3
    store = open_store(db_path)
    before = set(_stored(store))
    kept = {row["url"] for row in state.queued(store) if row["status"] == "fetched"}
    store.close()
    assert 3 <= len(before) < len(pages)
    hits_before = {p: site.hits(p) for p in pages}
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    store = open_store(db_path)
    after = _stored(store)
    store.close()
    assert after == sorted(site.url(p) for p in pages)  # nothing lost, nothing stored twice
    for p in pages:
        if site.url(p) in before or site.url(p) in kept:  # stored, or fetched and kept: never fetched again
            assert site.hits(p) == hits_before[p] == 1
    # only a page whose answer was arriving at the kill (not kept yet) can be fetched twice
    assert sum(site.hits(p) for p in pages) <= len(pages) + 1


def test_watch_interval_adapts_to_news(site, db):
    from newsgraph.watch.run import next_interval

    config = WatchConfig.from_settings({"interval": 600.0, "min_interval": 120.0, "max_interval": 1200.0})
    assert next_interval(config, 600.0, 3) == 300.0
    assert next_interval(config, 150.0, 3) == 120.0
    assert next_interval(config, 600.0, 0) == 900.0
    assert next_interval(config, 1000.0, 0) == 1200.0
    site.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, rss([("A", site.url("/a"))]))
    site.routes["/a"] = (200, {}, article_html("A", "Words of A."))
    _pass(_watcher(db, interval=600.0, min_interval=60.0), [site.url("/feed.xml")])
    assert state.source(db, site.url("/feed.xml"))["interval"] == 300.0  # news: sooner
    _due_now(db)
    _pass(_watcher(db, interval=600.0, min_interval=60.0), [site.url("/feed.xml")])
    assert state.source(db, site.url("/feed.xml"))["interval"] == 450.0  # the same item again: later


def test_watch_a_url_the_client_cannot_use_is_a_failure_not_a_stop(site, db):
    site.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, rss([
        ("Bad port", "http://127.0.0.1:99999/x"), ("Fine", site.url("/ok"))]))
    site.routes["/ok"] = (200, {}, article_html("Fine", "Fine words."))
    stats = _pass(_watcher(db), [site.url("/feed.xml")])
    assert stats.stored == 1 and stats.failed == 1


def _declaring(title: str, words: str, head: str) -> bytes:
    return article_html(title, words).replace(b"<head>", b"<head>" + head.encode(), 1)


def test_watch_page_under_two_urls_with_one_canonical_is_stored_once(site, db):
    canonical = site.url("/world/harbour-vote")
    head = '<link rel="canonical" href="/world/harbour-vote?utm_source=x">'
    body = _declaring("Harbour vote", "The harbour council voted.", head)
    site.routes["/world/harbour-vote"] = (200, {}, body)
    site.routes["/print/harbour-vote"] = (200, {}, body)
    site.routes["/amp/harbour-vote"] = (200, {}, _declaring("Harbour vote", "The harbour council voted.",
                                                            f'<meta property="og:url" content="{canonical}">'))
    site.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, rss([
        ("Print", site.url("/print/harbour-vote")), ("AMP", site.url("/amp/harbour-vote"))]))
    stats = _pass(_watcher(db, batch=1), [site.url("/feed.xml")])
    assert (stats.stored, stats.same, stats.failed) == (1, 1, 0)
    assert _stored(db) == [canonical]
    with db.engine.connect() as conn:
        row = conn.execute(select(articles.c.url, articles.c.meta).where(articles.c.doc_id == canonical)).one()
        marks = dict(conn.execute(select(watch_urls.c.url, watch_urls.c.doc_id)).all())
    assert row.url == canonical  # the canonical URL is the article's address
    assert marks == {site.url("/print/harbour-vote"): canonical, site.url("/amp/harbour-vote"): canonical}
    assert state.source(db, site.url("/feed.xml"))["articles"] == 1

    # the feed now lists the canonical URL itself and a fourth address: neither is stored again, and the
    # canonical URL, known to be a stored article, is not even fetched
    site.routes["/m/harbour-vote"] = (200, {}, body)
    site.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, rss([
        ("Print", site.url("/print/harbour-vote")), ("Canonical", canonical), ("Mobile", site.url("/m/harbour-vote"))]))
    _due_now(db)
    again = _pass(_watcher(db), [site.url("/feed.xml")])
    assert (again.new_urls, again.stored, again.same) == (2, 0, 1)
    assert _stored(db) == [canonical]
    assert site.hits("/world/harbour-vote") == 0 and site.hits("/m/harbour-vote") == 1


def test_watch_pages_in_one_batch_with_one_canonical_are_one_article(site, db):
    head = f'<link rel="canonical" href="{site.url("/a")}">'
    for path in ("/a?page=all", "/a/print"):
        site.routes[path] = (200, {}, _declaring("A", "Words of A.", head))
    site.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, rss([
        ("A", site.url("/a?page=all")), ("A print", site.url("/a/print"))]))
    stats = _pass(_watcher(db, batch=8, concurrency=2), [site.url("/feed.xml")])
    assert (stats.stored, stats.same) == (1, 1)
    assert _stored(db) == [site.url("/a")]


def test_watch_insane_canonical_is_not_believed(site, db):
    site.routes["/x"] = (200, {}, _declaring("X", "Words of X.", '<link rel="canonical" href="https://elsewhere.example/x">'))
    site.routes["/y"] = (200, {}, _declaring("Y", "Words of Y.", f'<link rel="canonical" href="{site.url("/")}">'))
    site.routes["/z"] = (200, {}, _declaring("Z", "Words of Z.", '<link rel="canonical" href="/z1"><link rel="canonical" href="/z2">'))
    site.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, rss([
        ("X", site.url("/x")), ("Y", site.url("/y")), ("Z", site.url("/z"))]))
    stats = _pass(_watcher(db), [site.url("/feed.xml")])
    assert stats.stored == 3
    assert _stored(db) == sorted(site.url(p) for p in ("/x", "/y", "/z"))


def test_watch_dask_extracts_on_the_cluster_and_stores_what_a_run_here_does(site, tmp_path, monkeypatch):
    """--dask: pages read and extracted on a LocalCluster (threads, in this process), linked and stored here in
    the order sent: the same articles, stories and done-marks as a watch without it."""
    distributed = pytest.importorskip("distributed")
    from newsgraph.scale import dask_run
    from newsgraph.scale.dask_run import DaskRunner

    plain = PlainExtractor()
    monkeypatch.setattr(dask_run, "extract_batch", lambda articles, settings: plain.extract_batch(articles))
    pages = [f"/d{i}" for i in range(7)]
    site.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"},
                                rss([(f"D{i}", site.url(p)) for i, p in enumerate(pages)] + [("Twice", site.url("/d0?page=all"))]))
    for i, p in enumerate(pages):
        site.routes[p] = (200, {}, article_html(f"Quay report {i % 3}", f"Quay repair notice {i % 3} words."))
    site.routes["/d0?page=all"] = (200, {}, _declaring("Quay report 0", "Quay repair notice 0 words.",
                                                f'<link rel="canonical" href="{site.url("/d0")}">'))
    site.routes["/d6"] = (200, {}, b"<html><body></body></html>")  # no article text: a failure, reported

    def content(store):
        with store.engine.connect() as conn:
            return (sorted(conn.execute(select(articles.c.doc_id, articles.c.story_id, articles.c.title)).all()),
                    sorted(conn.execute(select(watch_urls.c.url, watch_urls.c.status, watch_urls.c.doc_id)).all()))

    here = open_store(tmp_path / "here.db")
    _pass(_watcher(here, batch=2, concurrency=1), [site.url("/feed.xml")])
    expected = content(here)
    here.close()

    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        store = open_store(tmp_path / "dask.db")
        watcher = _watcher(store, batch=2, concurrency=1)
        watcher.runner = DaskRunner(client)
        stats = _pass(watcher, [site.url("/feed.xml")])
        got = content(store)
        store.close()
    assert (stats.stored, stats.same, stats.failed) == (6, 1, 1)
    assert got == expected
    assert len(got[0]) == 6


def test_watch_queue_is_fetched_in_turns_across_hosts():
    rows = [{"url": f"http://{h}.example/{i}", "status": "queued"} for h in "ab" for i in range(3)]
    rows.append({"url": "http://c.example/0", "status": "fetched"})
    assert [r["url"] for r in in_host_turns(rows)] == [
        "http://c.example/0", "http://a.example/0", "http://b.example/0", "http://a.example/1",
        "http://b.example/1", "http://a.example/2", "http://b.example/2"]


def test_watch_fetch_slots_do_not_all_wait_on_one_host(db):
    """Two sites of four items each, two fetch slots, 0.3 s between requests to a site: the slots go to both
    sites at once, not both to the first site's queue (where they would wait on its delay, one page at a time)."""
    with serve("127.0.0.1") as one, serve("127.0.0.2") as two:
        for site in (one, two):
            site.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"},
                                        rss([(f"Story {i}", site.url(f"/news/{i}")) for i in range(4)]))
            for i in range(4):
                site.routes[f"/news/{i}"] = (200, {}, article_html(f"Story {i}", f"Words of story {i}."))
        stats = _pass(_watcher(db, delay=0.3, concurrency=2), [one.url("/feed.xml"), two.url("/feed.xml")])
        assert stats.stored == 8
        pages = sorted((t, site.base) for site in (one, two)
                       for (path, _h), t in zip(site.log, site.times, strict=True) if path.startswith("/news/"))
    assert {base for _t, base in pages[:2]} == {one.base, two.base}
