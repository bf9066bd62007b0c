"""Hostile and careless inputs (issue 21): each is bounded or reported on its own, and the run goes on."""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import os
import time
import tracemalloc
from pathlib import Path

import pytest

from newsgraph.config import Settings
from newsgraph.ingest import Problem, _read_source, iter_articles, stdin_source
from newsgraph.records import Article

GOOD = "The mayor said the harbour would reopen on Monday after the storm."


def _split(items) -> tuple[list[Article], list[Problem]]:
    items = list(items)
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Problem)]


def _peak(fn) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _write_gz_lines(path: Path, lines: list[bytes]) -> None:
    with gzip.open(path, "wb", compresslevel=1) as fh:
        for line in lines:
            fh.write(line)


def _zeros_line(size: int) -> bytes:
    return b'{"id": "big", "text": "' + b"0" * size + b'"}\n'


def test_csv_row_checked_against_max_bytes_in_bounded_memory(tmp_path):
    rows = [["id", "text"], ["a", GOOD], ["big", "x" * 3_000_000], ["c", GOOD + " Again."]]
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    (tmp_path / "rows.csv.gz").write_bytes(gzip.compress(buf.getvalue().encode(), 1))
    settings = Settings(max_bytes=500_000)
    items: list = []
    peak = _peak(lambda: items.extend(iter_articles([str(tmp_path / "rows.csv.gz")], settings)))
    good, bad = _split(items)
    assert [a.doc_id for a in good] == ["a", "c"]
    assert len(bad) == 1 and "row 3" in bad[0].reason and "NG105" in bad[0].reason
    assert peak < 2_000_000  # the 3 MB cell was never held


def test_jsonl_gz_endless_line_costs_no_memory(tmp_path):
    path = tmp_path / "bomb.jsonl.gz"
    _write_gz_lines(path, [json.dumps({"id": "a", "text": GOOD}).encode() + b"\n", _zeros_line(20_000_000),
                           json.dumps({"id": "c", "text": GOOD + " Again."}).encode() + b"\n"])
    settings = Settings(max_bytes=2_000_000)
    items: list = []
    peak = _peak(lambda: items.extend(iter_articles([str(path)], settings)))
    good, bad = _split(items)
    assert [a.doc_id for a in good] == ["a", "c"]
    assert "NG105" in bad[0].reason and "line 2" in bad[0].reason
    assert peak < 5_000_000


def test_json_gz_endless_first_line_costs_no_memory(tmp_path):
    path = tmp_path / "bomb.json.gz"
    _write_gz_lines(path, [b"[" + b" " * 20_000_000 + b"]\n"])
    items: list = []
    peak = _peak(lambda: items.extend(iter_articles([str(path)], Settings(max_bytes=1_000_000))))
    assert "NG105" in items[0].reason
    assert peak < 5_000_000


@pytest.mark.parametrize("name", ["deep.json", "deep.jsonl"])
def test_deeply_nested_json_is_one_problem(tmp_path, name):
    (tmp_path / name).write_text('{"id": "d", "text": ' + "[" * 200_000 + "]" * 200_000 + "}\n")
    (tmp_path / "zz.txt").write_text(GOOD)
    good, bad = _split(iter_articles([str(tmp_path / name), str(tmp_path / "zz.txt")], Settings()))
    assert [a.doc_id for a in good] == ["zz"]
    assert len(bad) == 1 and "nested too deeply" in bad[0].reason


def test_one_guard_around_every_source(tmp_path, monkeypatch):
    """Whatever a reader raises is that input's problem; the inputs after it are read."""
    from newsgraph import ingest

    def broken(source, settings):
        raise KeyError("surprise")
        yield

    monkeypatch.setitem(ingest.READERS, "html", broken)
    (tmp_path / "a.html").write_text("<html><body><p>x</p></body></html>")
    (tmp_path / "b.txt").write_text(GOOD)
    good, bad = _split(iter_articles([str(tmp_path)], Settings()))
    assert [a.doc_id for a in good] == ["b"]
    assert "NG122" in bad[0].reason and "KeyError" in bad[0].reason


def test_symlink_loop_with_output_files_to_skip(tmp_path):
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "good.txt").write_text(GOOD)
    out = tmp_path / "out.jsonl"
    out.write_text("")
    good, bad = _split(iter_articles([str(tmp_path)], Settings(), skip=[out, tmp_path / "loop.txt"]))
    assert [a.doc_id for a in good] == ["good"]
    assert bad and "loop.txt" in bad[0].path


def test_file_in_folder_that_cannot_be_searched(tmp_path, monkeypatch):
    (tmp_path / "good.txt").write_text(GOOD)
    locked = tmp_path / "locked" / "a.txt"
    real_is_dir = Path.is_dir

    def is_dir(self):  # what stat() says to a user without search (x) permission on the folder
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_is_dir(self)

    monkeypatch.setattr(Path, "is_dir", is_dir)
    good, bad = _split(iter_articles([str(locked), str(tmp_path / "good.txt")], Settings()))
    assert [a.doc_id for a in good] == ["good"]
    assert bad[0].path == str(locked) and "Permission denied" in bad[0].reason


def test_unreadable_subfolder_is_reported(tmp_path, monkeypatch):
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "hidden.txt").write_text(GOOD + " Hidden.")
    real_scandir = os.scandir

    def scandir(path="."):  # what a folder without read permission does (tests run as root)
        if os.fspath(path).endswith("sub"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    good, bad = _split(iter_articles([str(tmp_path)], Settings()))
    assert [a.doc_id for a in good] == ["good"]
    assert [p.path for p in bad] == [str(tmp_path / "sub")] and "Permission denied" in bad[0].reason


def test_file_name_not_utf8(tmp_path):
    folder = os.fsencode(tmp_path)
    for i in range(3):
        with open(folder + b"/caf\xe9-%d.txt" % i, "w") as fh:
            fh.write(f"{GOOD} Number {i}.")
    good, bad = _split(iter_articles([str(tmp_path)], Settings()))
    assert len(good) == 3 and not bad
    for article in good:
        article.source.encode("utf-8")  # valid UTF-8, as every output needs
        article.doc_id.encode("utf-8")
        assert "caf\ufffd" in article.source


def test_named_pipe_in_folder_is_passed_over(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "good.txt").write_text(GOOD)
    good, bad = _split(iter_articles([str(tmp_path)], Settings()))  # hung for ever before
    assert [a.doc_id for a in good] == ["good"]
    assert bad[0].path.endswith("pipe.txt") and "NG121" in bad[0].reason


def test_nul_in_jsonl_costs_only_its_line(tmp_path):
    lines = [b'{"id": "a", "text": "\x00\x00 binary"}', json.dumps({"id": "b", "text": GOOD}).encode()]
    (tmp_path / "r.jsonl").write_bytes(b"\n".join(lines))
    good, bad = _split(iter_articles([str(tmp_path / "r.jsonl")], Settings()))
    assert [a.doc_id for a in good] == ["b"]
    assert "line 1" in bad[0].reason


def test_csv_bad_byte_costs_only_its_row(tmp_path):
    rows = [b"id,text"] + [f"r{i},{GOOD} Row {i}.".encode() for i in range(1, 51)]
    rows[20] = b"r20,Caf\xe9 owners said prices rose."
    (tmp_path / "t.csv").write_bytes(b"\n".join(rows) + b"\n")
    good, bad = _split(iter_articles([str(tmp_path / "t.csv")], Settings()))
    assert len(good) == 49
    assert len(bad) == 1 and "row 21" in bad[0].reason and "not valid utf-8" in bad[0].reason


@pytest.mark.parametrize("bom", [True, False])
def test_utf16_by_bom_or_setting(tmp_path, bom):
    text = GOOD + " Café."
    data = (codecs.BOM_UTF16_LE + text.encode("utf-16-le")) if bom else text.encode("utf-16-le")
    (tmp_path / "wide.txt").write_bytes(data)
    lines = "\n".join(json.dumps({"id": f"w{i}", "text": f"{text} Line {i}."}) for i in range(2))
    (tmp_path / "wide.jsonl").write_bytes((codecs.BOM_UTF16_LE if bom else b"") + lines.encode("utf-16-le"))
    settings = Settings() if bom else Settings(encoding="utf-16-le")
    good, bad = _split(iter_articles([str(tmp_path)], settings))
    assert not bad
    assert sorted(a.doc_id for a in good) == ["w0", "w1", "wide"]
    assert {a.text for a in good} == {text, f"{text} Line 0.", f"{text} Line 1."}


def test_nan_and_infinity_do_not_reach_records(tmp_path):
    (tmp_path / "n.jsonl").write_text('{"id": "n", "text": "' + GOOD + '", "score": NaN, "rank": -Infinity}\n')
    good, _ = _split(iter_articles([str(tmp_path / "n.jsonl")], Settings()))
    assert good[0].meta.get("score") is None and good[0].meta.get("rank") is None


def test_endless_stdin_is_refused_at_the_limit():
    class Endless(io.RawIOBase):
        def readable(self):
            return True

        def readinto(self, buffer):
            buffer[:] = b"y" * len(buffer)
            return len(buffer)

    source = stdin_source(io.BufferedReader(Endless()))
    items = list(_read_source(source, Settings(max_bytes=100_000)))
    assert len(items) == 1 and "NG105" in items[0].reason


def test_html_page_beyond_the_tag_budget_is_reported_not_extracted(tmp_path):
    (tmp_path / "many.html").write_text("<html><body>" + "<p>x</p>" * 3000 + "</body></html>")
    started = time.process_time()
    _, bad = _split(iter_articles([str(tmp_path / "many.html")], Settings(max_html_tags=1000)))
    assert "NG124" in bad[0].reason and "ingest.max_html_tags" in bad[0].reason
    assert time.process_time() - started < 1


def test_html_page_beyond_the_time_budget_is_reported(tmp_path):
    (tmp_path / "slow.html").write_text("<html><body>" + "<p>words here</p>" * 20000 + "</body></html>")
    started = time.process_time()
    _, bad = _split(iter_articles([str(tmp_path / "slow.html")], Settings(max_seconds=0.2)))
    assert "NG124" in bad[0].reason and "ingest.max_seconds" in bad[0].reason
    assert time.process_time() - started < 2


def test_text_of_short_lines_beyond_the_token_budget(tmp_path):
    (tmp_path / "lines.txt").write_text("a\n" * 30_000)  # 60 KB, 60k tokens
    (tmp_path / "ok.txt").write_text(GOOD)
    good, bad = _split(iter_articles([str(tmp_path)], Settings(max_tokens=50_000)))
    assert [a.doc_id for a in good] == ["ok"]
    assert "NG123" in bad[0].reason and "60000" in bad[0].reason


def _warc_record(typ: bytes, uri: bytes, payload: bytes, length: int | None = None,
                 status: bytes = b"HTTP/1.1 200 OK") -> bytes:
    http = status + b"\r\nContent-Type: text/html\r\n\r\n" + payload
    return (b"WARC/1.0\r\nWARC-Type: " + typ + b"\r\nWARC-Target-URI: " + uri + b"\r\nWARC-Record-ID: <urn:uuid:"
            + uri[-1:] * 8 + b">\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: "
            + str(len(http) if length is None else length).encode() + b"\r\n\r\n" + http + b"\r\n\r\n")


_PAGE = b"<html><head><title>T</title></head><body><article><p>" + GOOD.encode() * 5 + b"</p></article></body></html>"


@pytest.mark.parametrize(("first", "expected"), [
    (_warc_record(b"response", b"http://x.org/1", _PAGE, length=60), "Content-Length does not match"),
    (_warc_record(b"respXnse", b"http://x.org/1", _PAGE), "unknown WARC-Type"),
    (_warc_record(b"response", b"http://x.org/1", _PAGE, status=b"garbage here"), "no valid HTTP status line"),
])
def test_corrupt_warc_records_are_reported(tmp_path, capfd, first, expected):
    second = _warc_record(b"response", b"http://x.org/2", _PAGE.replace(b"mayor", b"major"))
    (tmp_path / "crawl.warc").write_bytes(first + second)
    good, bad = _split(iter_articles([str(tmp_path / "crawl.warc")], Settings()))
    assert [a.url for a in good] == ["http://x.org/2"]
    assert any(expected in p.reason and "record 1" in p.reason for p in bad), bad
    assert "WARNING" not in capfd.readouterr().err  # said once, as a message of the run, not by warcio


def test_endless_line_on_stdin_ends_the_input_not_the_run():
    class Endless(io.RawIOBase):
        def readable(self):
            return True

        def readinto(self, buffer):
            buffer[:] = b"y" * len(buffer)
            return len(buffer)

    head = io.BytesIO(b'{"id": "a", "text": "' + GOOD.encode() + b'"}\n{"id": "b", "text": "')
    stream = io.BufferedReader(Endless())

    class Joined(io.RawIOBase):
        def readable(self):
            return True

        def readinto(self, buffer):
            data = head.read(len(buffer)) or stream.read(len(buffer))
            buffer[: len(data)] = data
            return len(data)

    source = stdin_source(io.BufferedReader(Joined()))
    items = list(_read_source(source, Settings(max_bytes=10_000)))
    assert [getattr(i, "doc_id", None) for i in items][:1] == ["a"]
    assert "NG105" in items[-1].reason
