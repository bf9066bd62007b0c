"""Each reader on a small fixture of its kind: the fields the contract needs come out right."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsgraph.ingest import Problem, iter_articles
from newsgraph.ingest.fields import leading_date, normalize_date
from newsgraph.ingest.sniff import kind_from_bytes, stem_of
from newsgraph.records import Article

ARTICLE_TEXT = (
    "The town council voted on Tuesday to keep the public pool open through the winter.\n\n"
    '"It is the only warm place some of our older residents have," said councillor Ana Ruiz.'
)
PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>Pool stays open - Valley Times</title>"
    "<meta property='og:site_name' content='Valley Times'></head><body><article><h1>Pool stays open</h1>"
    "<p>The town council voted on Tuesday to keep the public pool open through the winter, after a "
    "petition signed by more than two thousand residents.</p><p>\"It is the only warm place some of our "
    "older residents have,\" said councillor Ana Ruiz, who proposed the motion.</p>"
    "<p>The pool will close for two weeks in January for repairs to its boiler.</p></article></body></html>"
)


def articles(paths, settings) -> list[Article]:
    return [a for a in iter_articles([str(p) for p in paths], settings) if isinstance(a, Article)]


def problems(paths, settings) -> list[Problem]:
    return [p for p in iter_articles([str(p) for p in paths], settings) if isinstance(p, Problem)]


@pytest.mark.parametrize("name,stem", [
    ("000_abc.txt", "000_abc"), ("page.html.gz", "page"), ("warcfile.warc.gz", "warcfile"),
    ("no_extension", "no_extension"), ("v1.2.report.txt", "v1.2.report"),
])
def test_sniff_stem(name, stem):
    assert stem_of(Path(name)) == stem


@pytest.mark.parametrize("head,kind", [
    (b"WARC/1.0\r\n", "warc"), (b'{"id": 1}', "json"), (b"[{}]", "json"), (b"<?xml version='1.0'?><rss>", "feed"),
    (b"<!DOCTYPE html><html>", "html"), (b"\x1f\x8b\x08", "gzip"), (b"abc\x00def", "binary"), (b"Plain words.", None),
])
def test_sniff_kind_from_bytes(head, kind):
    assert kind_from_bytes(head) == kind


@pytest.mark.parametrize("value,expected", [
    ("2021-08-16", "2021-08-16"), ("2021-08-16T10:20:00Z", "2021-08-16"), ("Mon, 16 Aug 2021 10:00:00 GMT", "2021-08-16"),
    ("16 August 2021", "2021-08-16"), ("August 16, 2021", "2021-08-16"), ("Friday", None), ("", None), (None, None),
    ("2021-02-30", None),
])
def test_fields_normalize_date(value, expected):
    assert normalize_date(value) == expected


def test_fields_leading_date_line_stays_in_text(tmp_path, settings):
    text = " date 2021-08-16 A filmmaker shared a video from the capital.\n\nMore text follows."
    path = tmp_path / "002_x.txt"
    path.write_text(text, encoding="utf-8")
    [article] = articles([path], settings)
    assert article.doc_id == "002_x"
    assert article.published == "2021-08-16"
    assert article.text == text
    assert leading_date("Nothing dated here.") is None


def test_text_unchanged_byte_for_byte(tmp_path, settings):
    text = "Curly “quotes” and emoji 🏳️ stay.\r\nWindows line ends stay too.\n"
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode("utf-8"))
    [article] = articles([path], settings)
    assert article.text == text


def test_html_page(fixtures_dir, settings):
    [article] = articles([fixtures_dir / "ingest" / "page.html"], settings)
    assert article.doc_id == "page"
    assert article.title == "Orchard growers count frost damage"
    assert article.outlet == "Hill Country Post"
    assert article.published == "2024-04-22"
    assert "late frost on Saturday night" in article.text
    assert "Privacy" not in article.text
    assert article.html and "<article>" in article.html


def test_jsonl_fields_and_aliases(tmp_path, settings):
    rows = [
        {"id": "a1", "text": ARTICLE_TEXT, "title": "Pool", "published": "2024-01-09", "url": "https://x.org/a",
         "outlet": "Valley Times", "authors": ["Kim Lee"], "section": "local"},
        {"doc_id": "a2", "text": "Another story about the harbour.", "date": "9 January 2024", "source": "Quay News",
         "author": "Jo Park and Sam Ode"},
    ]
    path = tmp_path / "dump.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    a1, a2 = articles([path], settings)
    assert (a1.doc_id, a1.title, a1.published, a1.url, a1.outlet, a1.authors) == (
        "a1", "Pool", "2024-01-09", "https://x.org/a", "Valley Times", ["Kim Lee"])
    assert a1.meta == {"section": "local"}
    assert (a2.doc_id, a2.published, a2.outlet, a2.authors) == ("a2", "2024-01-09", "Quay News", ["Jo Park", "Sam Ode"])


def test_json_list_and_single_object(tmp_path, settings):
    (tmp_path / "list.json").write_text(json.dumps([{"id": "l1", "text": "One."}, {"id": "l2", "text": "Two."}]))
    (tmp_path / "one.json").write_text(json.dumps({"id": "o1", "text": "Only one."}, indent=2))
    got = articles([tmp_path / "list.json", tmp_path / "one.json"], settings)
    assert [a.doc_id for a in got] == ["l1", "l2", "o1"]


def test_csv(fixtures_dir, settings):
    a, b = articles([fixtures_dir / "ingest" / "articles.csv"], settings)
    assert (a.doc_id, a.outlet, a.published, a.meta) == ("csv-1", "Harbour Herald", "2024-07-19", {"section": "local"})
    assert b.published == "2024-07-19"
    assert "Quay Road" in b.text


def test_rss_and_atom(fixtures_dir, settings):
    got = articles([fixtures_dir / "ingest" / "feed.xml", fixtures_dir / "ingest" / "atom.xml"], settings)
    assert [a.title for a in got] == ["Ferry service resumes after storm", "School garden wins county prize",
                                      "Bridge repairs finish early"]
    ferry = got[0]
    assert ferry.url == "https://example.org/lakeside/ferry-resumes"
    assert ferry.published == "2024-04-09"
    assert ferry.outlet == "Lakeside Gazette"
    assert "said captain Ivo Brandt" in ferry.text and "<p>" not in ferry.text
    assert got[2].published == "2024-04-11" and got[2].authors == ["Sol Ferrante"]


def _warc(path: Path, pages: list[tuple[str, str, str]], truncate_last: bool = False) -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, content_type, body in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body.encode()),
                                                      http_headers=headers))
    data = buffer.getvalue()
    if truncate_last:
        data = data[: len(data) - 200]
    path.write_bytes(data)


def test_warc_html_responses_only(tmp_path, settings):
    path = tmp_path / "crawl.warc.gz"
    _warc(path, [("https://example.org/pool", "text/html; charset=utf-8", PAGE),
                 ("https://example.org/logo.png", "image/png", "not an image"),
                 ("https://example.org/data.json", "application/json", "{}")])
    [article] = articles([path], settings)
    assert article.url == "https://example.org/pool"
    assert article.kind == "warc"
    assert "two thousand residents" in article.text
    assert article.meta["warc_date"]


def test_warc_truncated_record_is_reported_not_fatal(tmp_path, settings):
    path = tmp_path / "clipped.warc.gz"
    _warc(path, [("https://example.org/pool", "text/html", PAGE), ("https://example.org/pool2", "text/html",
                                                                   PAGE.replace("pool", "lido") * 3)],
          truncate_last=True)
    items = list(iter_articles([str(path)], settings))
    assert [a.url for a in items if isinstance(a, Article)] == ["https://example.org/pool"]
    [problem] = [p for p in items if isinstance(p, Problem)]
    assert problem.path == str(path)


def test_gzipped_inputs(tmp_path, settings):
    with gzip.open(tmp_path / "story.txt.gz", "wt", encoding="utf-8") as fh:
        fh.write(ARTICLE_TEXT)
    with gzip.open(tmp_path / "dump.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "g1", "text": "Gzipped record."}) + "\n")
    got = articles([tmp_path / "story.txt.gz", tmp_path / "dump.jsonl.gz"], settings)
    assert [(a.doc_id, a.text) for a in got] == [("story", ARTICLE_TEXT), ("g1", "Gzipped record.")]


def test_stdin(monkeypatch, settings):
    import sys

    data = "\n".join(json.dumps({"id": f"s{i}", "text": f"Story number {i}."}) for i in range(3)).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    got = [a for a in iter_articles(["-"], settings) if isinstance(a, Article)]
    assert [a.doc_id for a in got] == ["s0", "s1", "s2"]


def test_folder_walk_is_recursive_and_sorted(tmp_path, settings):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_text("Second story text.")
    (tmp_path / "a.txt").write_text("First story text.")
    (tmp_path / ".hidden.txt").write_text("Hidden.")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    assert [a.doc_id for a in articles([tmp_path], settings)] == ["a", "two"]


def test_duplicates_processed_once(tmp_path, settings):
    (tmp_path / "a.txt").write_text("Same   story text.\n")
    (tmp_path / "b.txt").write_text("same story text.")
    rows = [{"id": "u1", "url": "https://www.example.org/x/", "text": "One."},
            {"id": "u2", "url": "http://example.org/x", "text": "Two, a different text at the same address."}]
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    items = list(iter_articles([str(tmp_path)], settings))
    assert [a.doc_id for a in items if isinstance(a, Article)] == ["a", "u1"]
    notices = [p for p in items if isinstance(p, Problem)]
    assert len(notices) == 2 and not any(p.fatal for p in notices)
    assert "duplicate of a" in notices[0].reason and "same text" in notices[0].reason
    assert "same url" in notices[1].reason


def test_same_stem_in_two_folders_gets_distinct_ids(tmp_path, settings):
    for folder, text in (("x", "A story from x."), ("y", "A story from y.")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "story.txt").write_text(text)
    assert [a.doc_id for a in articles([tmp_path], settings)] == ["story", "story-2"]
