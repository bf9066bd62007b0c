"""Which reader an input needs, from its extension and its first bytes; gzip is unwrapped here."""

from __future__ import annotations

import codecs
import gzip
import io
import zlib
from collections.abc import Callable, Iterator
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
    encoding: str | None = None  # set when the stream is already decoded to UTF-8 here (UTF-16 and UTF-32 inputs)

    def encoding_for(self, settings_encoding: str) -> str:
        return self.encoding or settings_encoding


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


def open_source(path: Path, encoding: str = "utf-8", name: str | None = None) -> Source:
    """Detect the kind of `path` and return a Source whose stream is decompressed (and, for UTF-16/32 text,
    decoded to UTF-8). `name` is how messages and records call it (valid UTF-8 whatever the file system holds)."""
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
    wide = wide_encoding(head, encoding)
    if wide and ext not in ("warc", "arc"):
        opener = transcoding(opener, wide)
        head = peek(opener)
    guessed = kind_from_bytes(head)
    # record formats judge NUL bytes line by line (a bad line costs that line); a WARC holds binary payloads
    if guessed == "binary" and ext not in ("warc", "arc", "jsonl", "ndjson", "json", "csv", "tsv"):
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
    return Source(name=name or str(path), stem=stem_of(Path(name)) if name else stem_of(path), kind=kind,
                  open=opener, ext=ext, encoding="utf-8" if wide else None)


# UTF-32 first: its little-endian mark begins with UTF-16's
_WIDE_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
              (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def wide_encoding(head: bytes, encoding: str) -> str | None:
    """The codec of a UTF-16/UTF-32 input, by its byte order mark or by the setting; None for byte encodings."""
    for bom, codec in _WIDE_BOMS:
        if head.startswith(bom):
            return codec
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return None
    return name if name.startswith(("utf-16", "utf-32")) else None


class _Transcoder(io.RawIOBase):
    """A UTF-16/UTF-32 stream read as UTF-8, a chunk at a time, so every reader meets one encoding."""

    def __init__(self, raw: BinaryIO, codec: str) -> None:
        self._raw = raw
        self._decoder = codecs.getincrementaldecoder(codec)(errors="strict")
        self._pending = b""
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        while not self._pending and not self._done:
            chunk = self._raw.read(1 << 16)
            self._done = not chunk
            self._pending = self._decoder.decode(chunk, final=self._done).encode("utf-8", "surrogatepass")
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


def transcoding(opener: Callable[[], BinaryIO], codec: str) -> Callable[[], BinaryIO]:
    def wrapped() -> BinaryIO:
        return io.BufferedReader(_Transcoder(opener(), codec))  # type: ignore[return-value]
    return wrapped


# how far past the limit a too-long line is read to find the next one; beyond, the rest of the input is given up
DRAIN_FACTOR = 16


@dataclass
class TooLong:
    """A line longer than the limit: passed over without being held, only its size is kept."""

    size: int


def bounded_lines(fh: BinaryIO, limit: int) -> Iterator[bytes | TooLong]:
    """The lines of a (decompressed) stream, none held longer than `limit` bytes: a longer one is read past in
    pieces and given as TooLong, so that one endless line costs neither memory nor the lines after it."""
    if not hasattr(fh, "readline"):  # lines already cut (a partition's slice, held in memory)
        yield from (line if len(line) <= limit else TooLong(len(line)) for line in fh)
        return
    while line := fh.readline(limit + 1):
        if len(line) <= limit:
            yield line
            continue
        size = len(line)
        while not line.endswith(b"\n"):
            if size > DRAIN_FACTOR * limit:  # a bomb, or stdin that never ends: no next line worth the wait
                raise InputError(Msg.NG105, size=f"a line of more than {size}", limit=limit)
            line = fh.readline(1 << 16)
            if not line:
                break
            size += len(line)
        yield TooLong(size)


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
        # not read to its end: the rest may be a decompression bomb, or stdin that never ends
        raise InputError(Msg.NG105, size=f"more than {limit}", limit=limit)
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
