"""Which reader an input needs, from its extension and its first bytes; gzip is unwrapped here."""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError, Msg

# extension (lowercase, without the dot) -> reader kind
EXTENSIONS = {
    "txt": "text", "text": "text", "md": "text",
    "html": "html", "htm": "html", "xhtml": "html",
    "jsonl": "jsonl", "ndjson": "jsonl", "json": "json",
    "csv": "csv", "tsv": "csv",
    "warc": "warc", "arc": "warc", "wet": "warc", "wat": "warc",
    "xml": "feed", "rss": "feed", "atom": "feed",
}
GZIP_MAGIC = b"\x1f\x8b"
PEEK = 4096


@dataclass
class Source:
    """One input file, opened as a stream of its (decompressed) bytes."""

    name: str  # as the user named it, for messages and the `source` field
    stem: str  # file name without extensions: the doc_id of a one-article file
    kind: str
    open: Callable[[], BinaryIO]
    ext: str = ""


def stem_of(path: Path) -> str:
    """`000_abc.txt` -> `000_abc`; `page.html.gz` -> `page`; `warcfile.warc.gz` -> `warcfile`."""
    name = path.name
    while True:
        base, dot, ext = name.rpartition(".")
        if not dot or not base or (ext.lower() not in EXTENSIONS and ext.lower() not in ("gz", "gzip")):
            return name
        name = base


def _inner_ext(path: Path) -> tuple[str, bool]:
    suffixes = [s.lower().lstrip(".") for s in path.suffixes]
    gz = bool(suffixes) and suffixes[-1] in ("gz", "gzip")
    if gz:
        suffixes = suffixes[:-1]
    return (suffixes[-1] if suffixes else ""), gz


def kind_from_bytes(head: bytes) -> str | None:
    """Guess a kind from the first bytes; None when nothing is recognised."""
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if b"\x00" in head:
        return "binary"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"warc/"):
        return "warc"
    if text.startswith(b"{"):
        return "json"  # read_json tells one object from one object per line
    if text.startswith(b"["):
        return "json"
    if text.startswith(b"<?xml") or text.startswith(b"<rss") or text.startswith(b"<feed"):
        if b"<rss" in text or b"<feed" in text or b"<rdf:rdf" in text:
            return "feed"
        if b"<html" in text:
            return "html"
        return "feed"
    if text.startswith(b"<!doctype html") or text.startswith(b"<html") or b"<html" in text[:1024]:
        return "html"
    return None


def open_source(path: Path) -> Source:
    """Detect the kind of `path` and return a Source whose stream is decompressed."""
    ext, gz = _inner_ext(path)
    if gz:
        def opener() -> BinaryIO:
            return gzip.open(path, "rb")  # type: ignore[return-value]
    else:
        def opener() -> BinaryIO:
            return open(path, "rb")
    # gzip is recognised by content as well, whatever the name says
    if not gz:
        with open(path, "rb") as fh:
            raw_head = fh.read(2)
        if raw_head == GZIP_MAGIC:
            gz = True

            def opener() -> BinaryIO:
                return gzip.open(path, "rb")  # type: ignore[return-value]

    head = peek(opener)
    guessed = kind_from_bytes(head)
    if guessed == "binary" and ext not in ("warc", "arc"):
        raise InputError(Msg.NG103, detail="NUL bytes in the first 4 KiB")
    kind = EXTENSIONS.get(ext)
    if kind is None:
        kind = guessed or "text"
    if kind == "gzip":
        raise InputError(Msg.NG117, detail="gzip inside gzip")
    if kind == "warc" and gz:
        # warcio reads gzip member by member itself, and so notices a record cut short
        def opener() -> BinaryIO:
            return open(path, "rb")
    return Source(name=str(path), stem=stem_of(path), kind=kind, open=opener, ext=ext)


def peek(opener: Callable[[], BinaryIO]) -> bytes:
    head = b""
    try:
        with opener() as fh:
            # small reads, so that a stream cut short after its first records still sniffs
            while len(head) < PEEK and (chunk := fh.read(512)):
                head += chunk
            return head
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        if head:
            return head  # the reader reports the cut where it meets it, after the good records
        raise InputError(Msg.NG110, detail=exc) from exc
    except OSError as exc:
        raise InputError(Msg.NG101, detail=exc.strerror or exc) from exc


def read_limited(fh: BinaryIO, limit: int) -> bytes:
    """Read a whole stream, refusing more than `limit` bytes without reading them all."""
    data = fh.read(limit + 1)
    if len(data) > limit:
        # count the rest cheaply so the message can say how large it was
        size = len(data)
        while chunk := fh.read(1 << 20):
            size += len(chunk)
        raise InputError(Msg.NG105, size=size, limit=limit)
    return data


def read_all(source: Source, limit: int) -> bytes:
    try:
        with source.open() as fh:
            return read_limited(fh, limit)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise InputError(Msg.NG110, detail=exc) from exc
    except OSError as exc:
        raise InputError(Msg.NG101, detail=exc.strerror or exc) from exc


def decode_text(data: bytes, encoding: str) -> str:
    """Decode strictly: a wrong byte is an error naming its offset, never silently replaced."""
    if encoding.replace("-", "").lower() in ("utf8", "utf8sig") and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        bad = data[exc.start:exc.start + 4]
        raise InputError(Msg.NG104, encoding=encoding,
                         detail=f"byte {bad[:1]!r} at offset {exc.start} (set ingest.encoding if the file uses another)") from exc


def text_stream(fh: BinaryIO, encoding: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(fh, encoding="utf-8-sig" if encoding.lower() in ("utf-8", "utf8") else encoding,
                            errors="strict", newline="")
