"""Crawls made here for the scale tests: WARC files as Common Crawl writes them, gzipped JSONL dumps."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path
from types import SimpleNamespace

import pytest


def page(i: int) -> str:
    return (f"<html><head><title>Quay notice {i}</title></head><body><article><h1>Quay notice {i}</h1>"
            f"<p>The quay committee of Brindlemouth met on day {i} about the repair of slipway {i}, its chair "
            f"Odile Varga said on Tuesday evening.</p><p>Repairs to slipway {i} should take {i + 2} weeks; "
            f"rowing clubs will launch from the south steps meanwhile, the committee's notice says.</p>"
            f"</article></body></html>")


def write_warc(path: Path, pages: int, gz: bool = True, wet: bool | str = False, one_stream: bool = False,
               bad_url: int = -1) -> bytes:
    """A crawl as Common Crawl writes one: warcinfo, then request/response pairs (each record its own gzip
    member, unless `one_stream`), every fifth response an image and one a 404 page; or, `wet`, text
    conversions (`wet="blank"`: with no text); page `bad_url` with a URL urlsplit refuses. Returns the bytes
    before any gzip over the whole."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz and not one_stream)
    writer.write_record(writer.create_warcinfo_record(path.name, {"software": "newsgraph tests"}))
    for i in range(pages):
        url = f"https://brindlemouth.example/quay/{i}" if i != bad_url else f"https://[brindlemouth/quay/{i}"
        if wet:
            text = "" if wet == "blank" else f"Quay notice {i}. Slipway {i} repairs begin; Odile Varga said so."
            writer.write_record(writer.create_warc_record(url, "conversion", payload=io.BytesIO(text.encode()),
                                                          warc_content_type="text/plain"))
            continue
        writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
        kind = "image/png" if i % 5 == 4 else "text/html; charset=utf-8"
        status = "404 Not Found" if i == 6 else "200 OK"
        headers = StatusAndHeaders(status, [("Content-Type", kind)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(page(i).encode()),
                                                      http_headers=headers))
    data = buffer.getvalue()
    path.write_bytes(gzip.compress(data) if one_stream else data)
    return data


def write_gz_jsonl(path: Path, lines: list[str], cut: int = 0) -> None:
    data = gzip.compress("".join(line + "\n" for line in lines).encode())
    path.write_bytes(data[:len(data) - cut])


# JSONL lines with blank lines between and malformed ones among them
GZ_LINES = [json.dumps({"text": f"The Hollowmere cider press number {i} ran for {i} days at the orchard fair.",
                        "title": f"Cider press {i}"})
            if i % 6 else ("" if i % 12 else "{broken") for i in range(1, 30)]


@pytest.fixture(scope="session")
def crawl() -> SimpleNamespace:
    """crawl.warc(path, pages, gz=, wet=, one_stream=), crawl.gz_jsonl(path, lines, cut=), crawl.lines"""
    return SimpleNamespace(warc=write_warc, gz_jsonl=write_gz_jsonl, lines=GZ_LINES)
