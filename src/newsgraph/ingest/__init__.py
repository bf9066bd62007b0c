"""Ingest: files, folders and stdin -> a stream of Articles, with a Problem for each input that fails."""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import re
import stat
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from ..config import Settings
from ..errors import InputError, InputNotice, Msg
from ..records import Article
from ..safe import fs_name
from .csv import read_csv
from .feeds import read_feed
from .html import read_html
from .jsonl import read_json, read_jsonl
from .sniff import EXTENSIONS, GZIP_MAGIC, PEEK, Source, kind_from_bytes, open_source
from .text import read_text
from .warc import read_warc

Reader = Callable[[Source, Settings], Iterator["Article | InputError"]]

READERS: dict[str, Reader] = {
    "text": read_text,
    "html": read_html,
    "jsonl": read_jsonl,
    "json": read_json,
    "csv": read_csv,
    "warc": read_warc,
    "feed": read_feed,
}


@dataclass
class Problem:
    """An input, or a part of one, that could not be read. `fatal` is False for notices (duplicates)."""

    path: str
    reason: str
    fatal: bool = True

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def walk(path: Path) -> Iterator[Path | Problem]:
    """Files below a folder, in a stable order; hidden files and unknown extensions are passed over.

    A subfolder that cannot be read is a Problem, not a silent gap; so is a name that is no regular file
    (a named pipe would block the run for ever, a device never ends, a symlink loop never resolves).
    """
    errors: list[OSError] = []
    for root, dirs, files in os.walk(path, onerror=errors.append):
        yield from (Problem(fs_name(e.filename or root), Msg.NG101.format(detail=e.strerror or e)) for e in errors)
        errors.clear()
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            child = Path(root) / name
            ext = [s.lower().lstrip(".") for s in child.suffixes]
            if ext and ext[-1] in ("gz", "gzip"):
                ext = ext[:-1]
            if ext and ext[-1] in EXTENSIONS:
                problem = _not_regular(child)
                if problem is None:
                    yield child
                else:
                    yield problem
    yield from (Problem(fs_name(e.filename or path), Msg.NG101.format(detail=e.strerror or e)) for e in errors)


def _not_regular(path: Path) -> Problem | None:
    """A Problem when `path` cannot be read as a file: not there, a loop, a pipe, a socket, a device."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return Problem(fs_name(path), Msg.NG101.format(detail=exc.strerror or exc))
    if stat.S_ISREG(mode):
        return None
    return Problem(fs_name(path), Msg.NG121.format(), fatal=False)


class _PrefixedStream(io.RawIOBase):
    """stdin with its first bytes put back after sniffing."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head, self._rest = head, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def stdin_source(stream: BinaryIO | None = None) -> Source:
    stream = stream or sys.stdin.buffer
    head = stream.read(PEEK)
    plain: BinaryIO = io.BufferedReader(_PrefixedStream(head, stream))
    raw = plain
    if head.startswith(GZIP_MAGIC):
        raw = gzip.GzipFile(fileobj=plain)  # type: ignore[assignment]
        inner_head = raw.peek(PEEK)[:PEEK]  # type: ignore[attr-defined]
    else:
        inner_head = head
    kind = kind_from_bytes(inner_head) or "text"
    if kind == "binary":
        raise InputError(Msg.NG103, detail="NUL bytes in the first 4 KiB")
    if kind == "warc":
        raw = plain  # warcio unwraps gzip members itself
    used = False

    def opener() -> BinaryIO:
        nonlocal used
        if used:  # stdin can be read once; every reader opens its source once
            raise InputError(Msg.NG101, detail="stdin was already read")
        used = True
        return raw

    return Source(name="-", stem="stdin", kind=kind, open=opener)


def _read_source(source: Source, settings: Settings, reader: Reader | None = None) -> Iterator[Article | Problem]:
    reader = reader or READERS[source.kind]
    try:
        for item in reader(source, settings):
            if isinstance(item, InputError):
                yield Problem(source.name, item.text, fatal=not isinstance(item, InputNotice))
            else:
                yield item
    except InputError as exc:
        yield Problem(source.name, exc.text)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield Problem(source.name, Msg.NG110.format(detail=exc or "unexpected end of data"))
    except UnicodeDecodeError as exc:
        yield Problem(source.name, Msg.NG104.format(encoding=source.encoding_for(settings.encoding),
                                                    detail=f"at byte {exc.start} of a chunk"))
    except OSError as exc:
        yield Problem(source.name, Msg.NG101.format(detail=exc.strerror or exc))
    except RecursionError:
        yield Problem(source.name, Msg.NG122.format(detail="nested too deeply"))
    except Exception as exc:  # noqa: BLE001 - the one guard: nothing one input does may end the run
        yield Problem(source.name, Msg.NG122.format(detail=f"{type(exc).__name__}: {exc}"))


def _file_key(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


def iter_sources(inputs: Iterable[str], skip: Iterable[Path] = (), encoding: str = "utf-8"
                 ) -> Iterator[Source | Problem]:
    """Sources in input order; `skip` (the run's own output files) is never read back in.

    Whatever an input is (missing, unreadable, a loop, a pipe, a name that is not UTF-8), it becomes a
    Problem of its own and the next input is read.
    """
    skipped = {key for key in map(_file_key, skip) if key}
    for name in inputs:
        if name == "-":
            try:
                yield stdin_source()
            except InputError as exc:
                yield Problem("-", exc.text)
            continue
        path = Path(name)
        try:
            if path.is_dir():
                files: Iterable[Path | Problem] = walk(path)
            elif os.path.lexists(path):
                files = [_not_regular(path) or path]
            else:
                yield Problem(fs_name(name), Msg.NG116.format())
                continue
        except OSError as exc:  # a folder above it that cannot be searched
            yield Problem(fs_name(name), Msg.NG101.format(detail=exc.strerror or exc))
            continue
        for file in files:
            if isinstance(file, Problem):
                yield file
                continue
            if skipped and _file_key(file) in skipped:
                continue
            shown = fs_name(file)
            try:
                yield open_source(file, encoding, name=shown)
            except InputError as exc:
                yield Problem(shown, exc.text)
            except OSError as exc:
                yield Problem(shown, Msg.NG101.format(detail=exc.strerror or exc))
            except Exception as exc:  # noqa: BLE001 - see _read_source
                yield Problem(shown, Msg.NG122.format(detail=f"{type(exc).__name__}: {exc}"))


_SPACE = re.compile(r"\s+")


def _url_key(url: str) -> str:
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}?{parts.query}" if parts.query else f"{host}{parts.path.rstrip('/')}"


class Deduper:
    """Remembers a digest of every URL and normalised text seen; the only state that grows with the run."""

    def __init__(self) -> None:
        self._seen: dict[bytes, str] = {}
        self._ids: set[str] = set()

    @staticmethod
    def _digest(kind: str, value: str) -> bytes:
        return hashlib.blake2b(f"{kind}\x00{value}".encode(), digest_size=12).digest()

    def check(self, article: Article) -> Problem | None:
        keys = []
        if article.url:
            keys.append(("url", self._digest("url", _url_key(article.url))))
        keys.append(("text", self._digest("text", _SPACE.sub(" ", article.text).strip().lower())))
        for by, key in keys:
            first = self._seen.get(key)
            if first is not None:
                return Problem(article.source, Msg.NG115.format(first=first, by=by), fatal=False)
        for _, key in keys:
            self._seen[key] = article.doc_id
        return None

    def unique_id(self, article: Article) -> None:
        """Two inputs with the same name in different folders still get distinct doc_ids."""
        if article.doc_id in self._ids:
            base, n = article.doc_id, 2
            while f"{base}-{n}" in self._ids:
                n += 1
            article.meta["doc_id_given"] = base
            article.doc_id = f"{base}-{n}"
        self._ids.add(article.doc_id)


_TOKEN = re.compile(r"\w+|[^\w\s]|\n")


def too_large(article: Article, settings: Settings) -> Problem | None:
    """A Problem when the article is beyond what one parse may cost: characters, then tokens (counted the way
    the tokenizer cuts words, punctuation and line breaks; a text of short lines has a token every 2 bytes)."""
    if len(article.text) > settings.max_chars:
        return Problem(article.source, Msg.NG119.format(size=len(article.text), limit=settings.max_chars))
    if len(article.text) > settings.max_tokens:  # fewer characters cannot make more tokens
        tokens = sum(1 for _ in _TOKEN.finditer(article.text))
        if tokens > settings.max_tokens:
            return Problem(article.source, Msg.NG123.format(size=tokens, limit=settings.max_tokens))
    return None


def _valid_text(article: Article) -> None:
    """Every string of an article as valid Unicode: a lone surrogate (a JSON escape such as \\ud800) cannot be
    written as UTF-8, and would end the run at its output."""
    for name in ("doc_id", "text", "source", "title", "url", "outlet", "published"):
        value = getattr(article, name)
        if isinstance(value, str) and not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                setattr(article, name, fs_name(value))
    article.authors = [fs_name(a) if isinstance(a, str) else a for a in article.authors]


def iter_articles(inputs: Iterable[str], settings: Settings, skip: Iterable[Path] = ()
                  ) -> Iterator[Article | Problem]:
    """Every article of every input, in input order, interleaved with the Problems met on the way."""
    dedupe = Deduper()
    for source in iter_sources(inputs, skip, settings.encoding):
        if isinstance(source, Problem):
            yield source
            continue
        for item in _read_source(source, settings):
            if isinstance(item, Article):
                _valid_text(item)
                oversized = too_large(item, settings)
                if oversized is not None:
                    yield oversized
                    continue
                if settings.dedupe:
                    duplicate = dedupe.check(item)
                    if duplicate is not None:
                        yield duplicate
                        continue
                dedupe.unique_id(item)
            yield item


__all__ = ["READERS", "Problem", "Source", "iter_articles", "iter_sources", "walk"]
