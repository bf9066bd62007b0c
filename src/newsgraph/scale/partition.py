"""Partitions: an input cut into slices (files, or line ranges of a JSONL file) that a worker reads on its own.

A partition is named by what it holds: its `key` hashes the file names, the byte range and the bytes themselves,
so that a restarted run recognises the partitions it already wrote, and a changed input is never mistaken for
them. Workers re-open the files by name, so every worker must see the same paths (a shared file system).
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..config import Settings
from ..errors import InputError, Msg, NewsgraphError
from ..ingest import Problem, _read_source, iter_sources
from ..ingest.sniff import Source, open_source
from ..records import Article

# Articles per partition: large enough that a task's overhead (scheduling, pickling) is small beside its
# parsing, small enough that a killed run loses little and 2+ workers stay busy on a few hundred articles.
DEFAULT_PARTITION_SIZE = 64
# kinds that hold one article per file and are grouped, several files to a partition
ONE_ARTICLE_KINDS = ("text", "html")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Partition:
    """A slice of the input: `paths` (several one-article files), or lines `first_line`.. of one JSONL file
    between bytes `start` and `stop`."""

    index: int
    paths: tuple[str, ...]
    key: str
    articles: int  # how many articles it holds at most (files or non-blank lines); for progress
    start: int = 0
    stop: int = -1  # -1: whole files
    first_line: int = 1

    @property
    def lines(self) -> bool:
        return self.stop >= 0

    def describe(self) -> str:
        if self.lines:
            return f"{self.paths[0]} lines {self.first_line}..{self.first_line + self.articles - 1}"
        return self.paths[0] if len(self.paths) == 1 else f"{self.paths[0]} and {len(self.paths) - 1} more"


def _key(*parts: object, data: Iterable[bytes] = ()) -> str:
    digest = hashlib.blake2b(digest_size=20)
    for part in parts:
        digest.update(repr(part).encode("utf-8", "surrogatepass") + b"\x1f")
    for chunk in data:
        digest.update(chunk)
    return digest.hexdigest()


def _file_chunks(path: str) -> Iterator[bytes]:
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            yield chunk


def _splittable(source: Source) -> bool:
    """A plain (not gzipped) JSONL file: its lines can be read from any byte offset."""
    if source.kind != "jsonl":
        return False
    with open(source.name, "rb") as fh:
        return fh.read(2) != b"\x1f\x8b"


def _line_ranges(path: str, size: int) -> Iterator[tuple[int, int, int, int]]:
    """(start byte, stop byte, first line number, non-blank lines) of slices of `size` non-blank lines."""
    start = offset = 0
    first = number = 1
    count = 0
    with open(path, "rb") as fh:
        for line in fh:
            if count == size and line.strip():  # cut before a record, never inside blank-line runs' counts
                yield start, offset, first, count
                start, first, count = offset, number, 0
            count += bool(line.strip())
            offset += len(line)
            number += 1
    if count:
        yield start, offset, first, count


def plan(inputs: Iterable[str], size: int = DEFAULT_PARTITION_SIZE, skip: Iterable[Path] = ()
         ) -> list[Partition | Problem]:
    """The partitions of `inputs`, in input order, with a Problem where an input cannot be opened at all."""
    if size < 1:
        raise NewsgraphError(Msg.NG501, name="--partition-size", detail="must be at least 1")
    inputs = list(inputs)
    if "-" in inputs:
        raise NewsgraphError(Msg.NG605)
    items: list[Partition | Problem] = []
    group: list[str] = []

    def close_group() -> None:
        if group:
            items.append(Partition(len(items), tuple(group), _key("files", *group, data=itertools.chain.from_iterable(
                _file_chunks(p) for p in group)), len(group)))
            group.clear()

    for source in iter_sources(inputs, skip):
        if isinstance(source, Problem):
            close_group()
            items.append(source)
            continue
        if source.kind in ONE_ARTICLE_KINDS:
            group.append(source.name)
            if len(group) >= size:
                close_group()
            continue
        close_group()
        ranges = list(_line_ranges(source.name, size)) if _splittable(source) else []
        if not ranges:  # one partition for the file: many articles (CSV, WARC, feed, gzip) or none at all
            items.append(Partition(len(items), (source.name,), _key("file", source.name,
                                                                     data=_file_chunks(source.name)), size))
            continue
        with open(source.name, "rb") as fh:
            for start, stop, first, count in ranges:
                fh.seek(start)
                data = fh.read(stop - start)
                items.append(Partition(len(items), (source.name,), _key("lines", source.name, start, stop, first,
                                                                         data=[data]),
                                       count, start=start, stop=stop, first_line=first))
    close_group()
    return items


class _Lines:
    """Lines `first_line`.. of a file, numbered as in the whole file: the reader sees blank lines before them."""

    def __init__(self, data: bytes, first_line: int) -> None:
        self.data, self.first_line = data, first_line

    def __enter__(self) -> _Lines:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def __iter__(self) -> Iterator[bytes]:
        # the JSONL reader skips blank lines but counts them: doc_ids (`stem-N`) and messages stay those of
        # a whole-file read
        return itertools.chain(itertools.repeat(b"\n", self.first_line - 1), self.data.splitlines(keepends=True))


def _line_source(part: Partition) -> Source:
    path = Path(part.paths[0])
    whole = open_source(path)
    with open(path, "rb") as fh:
        fh.seek(part.start)
        data = fh.read(part.stop - part.start)
    return Source(name=whole.name, stem=whole.stem, kind="jsonl", open=lambda: _Lines(data, part.first_line),
                  ext=whole.ext)


def read_partition(part: Partition, settings: Settings) -> list[Article | Problem]:
    """The articles of one partition, with its Problems, in order: what `iter_articles` yields for this slice
    before de-duplication (which needs the whole run and is done where the records are linked)."""
    out: list[Article | Problem] = []
    for name in part.paths:
        try:
            source = _line_source(part) if part.lines else open_source(Path(name))
        except InputError as exc:
            out.append(Problem(name, exc.text))
            continue
        except OSError as exc:
            out.append(Problem(name, Msg.NG101.format(detail=exc.strerror or exc)))
            continue
        for item in _read_source(source, settings):
            if isinstance(item, Article) and len(item.text) > settings.max_chars:
                out.append(Problem(item.source, Msg.NG119.format(size=len(item.text), limit=settings.max_chars)))
                continue
            out.append(item)
    return out


__all__ = ["DEFAULT_PARTITION_SIZE", "Partition", "plan", "read_partition"]
