"""Partitions: an input cut into slices (files, line ranges of a JSONL file, record ranges of a WARC file) that a
worker reads on its own.

A partition is named by what it holds: its `key` hashes the file names, the range and the bytes themselves, so
that a restarted run recognises the partitions it already wrote, and a changed input is never mistaken for them.
Workers re-open the files by name, so every worker must see the same paths (a shared file system).

A slice reads exactly as its part of a whole-file read: line and record numbers, doc_ids and messages are those
of the whole file. Where a whole-file read would stop early (a cut-off gzip stream, a broken WARC record), the
planner stops there too, and the last slice reads on to the end of the file, meeting the same error.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gzip
import hashlib
import io
import itertools
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator

from ..config import Settings
from ..errors import InputError, Msg, NewsgraphError
from ..ingest import Problem, _read_source, iter_sources, too_large
from ..ingest.sniff import GZIP_MAGIC, Source, open_source
from ..ingest.warc import HTML_TYPES, _wet_article, read_warc
from ..records import Article

# Articles per partition: large enough that a task's overhead (scheduling, pickling) is small beside its
# parsing, small enough that a killed run loses little and 2+ workers stay busy on a few hundred articles.
# The run's default is the setting scale.partition_size (default_config.cfg); this is plan()'s own.
DEFAULT_PARTITION_SIZE = 64
# The end of a run is cut finer. Workers that run out of partitions wait for the last ones to finish, so a
# run of equal partitions ends with up to one partition's parse of idle time on every worker but one. The last
# partitions of a plan are halves, quarters and eighths instead (about two partitions' worth of articles). The
# cuts depend on the input alone, never on the cluster: a restarted run plans the same partitions whatever its
# number of workers. Partitions smaller than TAPER_FROM articles are fine-grained enough already.
TAIL = (2, 2, 4, 4, 8, 8)  # the plan's last partitions, as fractions of a partition, in order
TAPER_FROM = 16
# kinds that hold one article per file and are grouped, several files to a partition
ONE_ARTICLE_KINDS = ("text", "html")
_CHUNK = 1 << 20
# what ends a whole-file read of a gzip stream early (ingest._read_source reports them as NG110)
_GZIP_ERRORS = (EOFError, zlib.error, gzip.BadGzipFile, OSError)


@dataclass(frozen=True)
class Partition:
    """A slice of the input: `paths` (several one-article files, or one whole file), or of one file:

    - `lines`: JSONL lines `first_line`.. between bytes `start` and `stop`;
    - `gzlines`: `count` lines of a gzipped JSONL file from line `first_line` (0: all the rest);
    - `records`: `count` WARC records from record number `first_line`, at byte `start` (0: all the rest).
    """

    index: int
    paths: tuple[str, ...]
    key: str
    articles: int  # how many articles it holds at most (files, non-blank lines, page records); for progress
    start: int = 0
    stop: int = -1  # -1: whole files
    first_line: int = 1
    unit: str = "files"
    count: int = 0
    # gzlines: the decompressed lines, attached on their way to a worker (`with_data`), never kept in the plan
    data: bytes | None = field(default=None, compare=False, repr=False)

    @property
    def lines(self) -> bool:
        return self.unit in ("lines", "gzlines")

    def describe(self) -> str:
        if self.unit == "files":
            return self.paths[0] if len(self.paths) == 1 else f"{self.paths[0]} and {len(self.paths) - 1} more"
        if self.unit == "lines":  # blank lines aside
            return f"{self.paths[0]} lines {self.first_line}..{self.first_line + self.articles - 1}"
        last = self.first_line + self.count - 1 if self.count else "end"
        return f"{self.paths[0]} {'records' if self.unit == 'records' else 'lines'} {self.first_line}..{last}"


def _key(*parts: object, data: Iterable[bytes] = ()) -> str:
    digest = hashlib.blake2b(digest_size=20)
    for part in parts:
        digest.update(repr(part).encode("utf-8", "surrogatepass") + b"\x1f")
    for chunk in data:
        digest.update(chunk)
    return digest.hexdigest()


def _file_chunks(path: str, start: int = 0, stop: int | None = None) -> Iterator[bytes]:
    with open(path, "rb") as fh:
        fh.seek(start)
        left = None if stop is None else stop - start
        while chunk := fh.read(_CHUNK if left is None else min(_CHUNK, left)):
            yield chunk
            if left is not None:
                left -= len(chunk)


def _gzipped(path: str) -> bool:
    with open(path, "rb") as fh:
        return fh.read(2) == GZIP_MAGIC


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


@dataclass
class _Slice:
    start: int  # byte offset (WARC: in the file; gzip: in the decompressed stream)
    first: int  # first line or record number
    articles: int = 0
    digest: int = 0  # gzip: the lines' _line_digest, summed


_DIGEST_MOD = 1 << 160


def _line_digest(number: int, line: bytes) -> int:
    """One line's share of a slice's digest. Shares add up (modulo 2**160), so the digest of consecutive slices
    is the sum of theirs, and a line's number is in its share, so a line moved is a change."""
    salt = number.to_bytes(16, "little")
    return int.from_bytes(hashlib.blake2b(line, digest_size=20, salt=salt).digest(), "little")


def _lines_digest(data: bytes, first_line: int) -> int:
    return sum(_line_digest(n, line) for n, line in enumerate(io.BytesIO(data), first_line)) % _DIGEST_MOD


def _gz_line_slices(path: str, size: int) -> list[tuple[_Slice, int]]:
    """(slice, lines in it) of a gzipped JSONL file, cut every `size` non-blank lines; 0 lines for a last slice
    cut off by an error (it reads to the end); [] when the file is one slice, or unreadable (the whole-file read
    reports it)."""
    slices: list[_Slice] = [_Slice(0, 1)]
    number = 1
    offset = 0
    try:
        with gzip.open(path, "rb") as fh:
            for line in fh:
                current = slices[-1]
                if current.articles == size and line.strip():
                    slices.append(current := _Slice(offset, number))
                current.articles += bool(line.strip())
                current.digest = (current.digest + _line_digest(number, line)) % _DIGEST_MOD
                offset += len(line)
                number += 1
        last = number - slices[-1].first
    except _GZIP_ERRORS:
        last = 0  # a cut-off stream: the last slice reads on to the error, as the whole file does
    return _counted(slices, last)


def _warc_slices(source: Source, size: int, max_bytes: int) -> list[tuple[_Slice, int]]:
    """(slice, records in it; 0 for the last, which reads to the end) of a WARC file cut every `size` page
    records (HTML responses, text conversions), from one scan of its record offsets; [] to read it whole.

    Common Crawl writes each record as a gzip member of its own, so a worker can seek to a slice's first
    record. The scan stops where a whole-file read would (a broken record): the last slice reads from its
    start to the end of the file and meets the same error. A file that is one gzip stream, an ARC file, or one
    whose pages might all come out empty (the whole-file read's NG120) is read whole.
    """
    slices: list[_Slice] = []
    pages_certain = False  # a record the whole-file read certainly counts as a page: no NG120 to give
    wet_settings = Settings(max_bytes=max_bytes)
    last_start = -1
    try:
        with source.open() as fh:
            records = ArchiveIterator(fh, arc2warc=True)
            for number, record in enumerate(records, 1):
                start = records.offset  # set when the previous record was read to its end
                if record.format != "warc":
                    return []
                page = False
                if record.rec_type == "conversion":
                    page = True
                    if not pages_certain:  # until one text conversion gives an article, as read_warc makes it
                        with contextlib.suppress(InputError, ValueError):
                            pages_certain = _wet_article(record, source, wet_settings, number) is not None
                elif record.rec_type == "response" and record.http_headers is not None:
                    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
                    page = content_type.startswith(HTML_TYPES)
                    pages_certain = pages_certain or page
                if slices and start <= last_start:  # offsets that do not grow: nothing to seek to
                    return []
                last_start = start
                _open_slice(slices, start, number, size, page)
    except Exception:  # noqa: BLE001 - whatever ends the scan ends a whole-file read there too
        pass
    return _counted(slices, 0) if pages_certain else []


def _counted(slices: list[_Slice], last: int) -> list[tuple[_Slice, int]]:
    """(slice, lines or records in it) from where the next one starts; `last` for the last slice (0: to the
    end); [] for one slice, which is the whole file."""
    if len(slices) < 2:
        return []
    ends = [s.first for s in slices[1:]]
    return [(s, end - s.first) for s, end in zip(slices, ends, strict=False)] + [(slices[-1], last)]


def _open_slice(slices: list[_Slice], start: int, number: int, size: int, page: bool) -> None:
    """Count a record into the current slice, or start a new one with it: cuts fall before a page record."""
    if not slices or (page and slices[-1].articles == size):
        slices.append(_Slice(start, number))
    slices[-1].articles += page


def plan(inputs: Iterable[str], size: int = DEFAULT_PARTITION_SIZE, skip: Iterable[Path] = (),
         max_bytes: int | None = None) -> list[Partition | Problem]:
    """The partitions of `inputs`, in input order, with a Problem where an input cannot be opened at all.

    Partitions hold `size` articles, except the last few of the plan (TAIL). `max_bytes` is the run's
    ingest.max_bytes: a WARC text conversion larger than it is no article.
    """
    if size < 1:
        raise NewsgraphError(Msg.NG501, name="--partition-size", detail="must be at least 1")
    max_bytes = Settings().max_bytes if max_bytes is None else max_bytes
    inputs = list(inputs)
    if "-" in inputs:
        raise NewsgraphError(Msg.NG605)
    grain = _grain(size)
    # inputs are first cut into grains; a run of one file's grains (or of one-article files) is then joined
    # into partitions, `size // grain` grains each, finer at the end of the plan
    runs: list[Problem | _Run] = []
    group: list[str] = []

    def close_group() -> None:
        if group:
            names = list(group)
            runs.append(_Run([names[i:i + grain] for i in range(0, len(names), grain)], _file_partitions))
            group.clear()

    for source in iter_sources(inputs, skip):
        if isinstance(source, Problem):
            close_group()
            runs.append(source)
            continue
        if source.kind in ONE_ARTICLE_KINDS:
            group.append(source.name)
            continue
        close_group()
        grains: list = []
        build: Callable[..., Iterator[Partition]] = _whole_file
        if source.kind == "jsonl" and not _gzipped(source.name):
            grains, build = list(_line_ranges(source.name, grain)), functools.partial(_plain_line_partitions,
                                                                                      source.name)
        elif source.kind == "jsonl":
            grains, build = _gz_line_slices(source.name, grain), functools.partial(_gz_line_partitions, source.name)
        elif source.kind == "warc":
            grains = _warc_slices(source, grain, max_bytes)
            build = functools.partial(_warc_partitions, source.name)
        # one partition for the file when it cannot be cut: many articles (CSV, feed, ...) or none at all
        runs.append(_Run(grains, build) if grains else _Run([source.name], _whole_file))
    close_group()

    tail = [max(1, (size // grain) // d) for d in TAIL] if grain < size else []
    for run in reversed(runs):  # the tail is taken from the end of the plan, across files if they are short
        if isinstance(run, _Run):
            tail = run.cut(1, []) if run.build is _whole_file else run.cut(size // grain, tail)
    items: list[Partition | Problem] = []
    for run in runs:
        if isinstance(run, Problem):
            items.append(run)
        else:
            items.extend(run.build(run.grains, run.sizes, len(items), size))
    return items


def _grain(size: int) -> int:
    """The unit partitions are joined from: the largest divisor of `size` that is at most an eighth of it (so
    that whole partitions hold exactly `size` articles), or `size` itself below TAPER_FROM."""
    if size < TAPER_FROM:
        return size
    return max(d for d in range(1, size // 8 + 1) if size % d == 0)


@dataclass
class _Run:
    """One file's grains (or a run of one-article files), and how to build its partitions from them."""

    grains: list
    build: Callable[..., Iterator[Partition]]
    sizes: list[int] = field(default_factory=list)  # grains per partition, set by cut()

    def cut(self, per: int, tail: list[int]) -> list[int]:
        """Grains per partition: `per` each, then what is left of the `tail` at its end; returns the tail's
        pieces this run could not hold (they go to the run before)."""
        left = len(self.grains)
        end: list[int] = []
        while tail and left:
            take = min(tail[-1], left)
            end.append(take)
            left -= take
            tail = tail[:-1]
        self.sizes = [per] * (left // per) + ([left % per] if left % per else []) + end[::-1]
        return tail


def _joined(grains: list, sizes: list[int]) -> Iterator[list]:
    at = 0
    for n in sizes:
        yield grains[at:at + n]
        at += n


def _whole_file(grains: list[str], sizes: list[int], index: int, size: int) -> Iterator[Partition]:
    [name] = grains
    yield Partition(index, (name,), _key("file", name, data=_file_chunks(name)), size)


def _file_partitions(grains: list[list[str]], sizes: list[int], index: int, size: int) -> Iterator[Partition]:
    for i, joined in enumerate(_joined(grains, sizes)):
        group = [name for names in joined for name in names]
        yield Partition(index + i, tuple(group), _key("files", *group, data=itertools.chain.from_iterable(
            _file_chunks(p) for p in group)), len(group))


def _plain_line_partitions(path: str, grains: list[tuple[int, int, int, int]], sizes: list[int], index: int,
                           size: int) -> Iterator[Partition]:
    with open(path, "rb") as fh:
        for i, joined in enumerate(_joined(grains, sizes)):
            start, stop, first = joined[0][0], joined[-1][1], joined[0][2]
            fh.seek(start)
            data = fh.read(stop - start)
            yield Partition(index + i, (path,), _key("lines", path, start, stop, first, data=[data]),
                            sum(g[3] for g in joined), start=start, stop=stop, first_line=first, unit="lines")


def _slices_joined(grains: list[tuple[_Slice, int]], sizes: list[int]) -> list[tuple[_Slice, int]]:
    """Consecutive slices as one: the first's start, all their articles; its count is 0 (to the end) when the
    last one's is."""
    out = []
    for joined in _joined(grains, sizes):
        head, last = joined[0][0], joined[-1][1]
        piece = _Slice(head.start, head.first, sum(s.articles for s, _ in joined),
                       sum(s.digest for s, _ in joined) % _DIGEST_MOD)
        out.append((piece, sum(n for _, n in joined) if last else 0))
    return out


def _gz_line_partitions(path: str, grains: list[tuple[_Slice, int]], sizes: list[int], index: int,
                        size: int) -> Iterator[Partition]:
    if len(sizes) < 2:  # one slice: the whole file
        yield from _whole_file([path], sizes, index, size)
        return
    slices = _slices_joined(grains, sizes)
    for i, (piece, lines) in enumerate(slices):
        stop = slices[i + 1][0].start if i + 1 < len(slices) else -1
        yield Partition(index + i, (path,), _gz_key(path, piece.first, lines, piece.digest), piece.articles,
                        start=piece.start, stop=stop, first_line=piece.first, unit="gzlines", count=lines)


def _gz_key(path: str, first: int, lines: int, digest: int) -> str:
    return _key("gzlines", path, first, lines, f"{digest:040x}")


def _warc_partitions(path: str, grains: list[tuple[_Slice, int]], sizes: list[int], index: int,
                     size: int) -> Iterator[Partition]:
    if len(sizes) < 2:
        yield from _whole_file([path], sizes, index, size)
        return
    slices = _slices_joined(grains, sizes)
    end = Path(path).stat().st_size
    for i, (piece, records) in enumerate(slices):
        stop = slices[i + 1][0].start if records else end
        yield Partition(index + i, (path,), _key("records", path, piece.start, stop, piece.first,
                                                 records, data=_file_chunks(path, piece.start, stop)),
                        piece.articles, start=piece.start, stop=stop, first_line=piece.first, unit="records",
                        count=records)


def with_data(parts: Iterable[Partition]) -> Iterator[Partition]:
    """`parts`, the gzipped-JSONL slices with their lines attached, read here in one pass over each file.

    A worker handed a bare slice would decompress its file from the start to reach the slice's first line:
    each slice costs the file's whole prefix, and a large file its square. Slices that read to the end, and
    any whose lines no longer match their key (the file changed), go bare: the worker reads what is there.
    """
    stream: BinaryIO | None = None
    path, line = "", 1
    try:
        for part in parts:
            if part.unit != "gzlines" or not part.count:
                yield part
                continue
            if stream is None or path != part.paths[0] or line > part.first_line:
                if stream is not None:
                    stream.close()
                stream, path, line = gzip.open(part.paths[0], "rb"), part.paths[0], 1  # type: ignore[assignment]  # noqa: SIM115
            try:
                for _ in range(part.first_line - line):
                    stream.readline()  # type: ignore[union-attr]
                data = b"".join(itertools.islice(stream, part.count))  # type: ignore[arg-type]
            except _GZIP_ERRORS:
                stream = None
                yield part
                continue
            line = part.first_line + part.count
            same = _gz_key(part.paths[0], part.first_line, part.count,
                           _lines_digest(data, part.first_line)) == part.key
            yield dataclasses.replace(part, data=data) if same else part
    finally:
        if stream is not None:
            stream.close()


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
        # a whole-file read. Lines end at b"\n" only, as in a file read (bytes.splitlines also cuts at b"\r").
        return itertools.chain(itertools.repeat(b"\n", self.first_line - 1), io.BytesIO(self.data))


class _GzLines:
    """Lines `first_line`.. of a gzipped file (`count` of them, 0: all the rest), numbered as in the whole
    file; reaching the first means decompressing all before it, and an error on the way is the reader's."""

    def __init__(self, path: str, first_line: int, count: int) -> None:
        self.path, self.first_line, self.count = path, first_line, count
        self.fh: BinaryIO | None = None

    def __enter__(self) -> _GzLines:
        self.fh = gzip.open(self.path, "rb")  # type: ignore[assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fh is not None:
            self.fh.close()

    def __iter__(self) -> Iterator[bytes]:
        assert self.fh is not None
        for _ in range(self.first_line - 1):
            self.fh.readline()
            yield b"\n"
        yield from itertools.islice(self.fh, self.count or None)


class _At:
    """A file opened at byte `start`: a WARC partition's first record."""

    def __init__(self, path: str, start: int) -> None:
        self.path, self.start = path, start
        self.fh: BinaryIO | None = None

    def __enter__(self) -> BinaryIO:
        self.fh = open(self.path, "rb")  # noqa: SIM115 - closed by __exit__
        self.fh.seek(self.start)
        return self.fh

    def __exit__(self, *exc: object) -> None:
        if self.fh is not None:
            self.fh.close()


def _slice_source(part: Partition) -> tuple[Source, Callable | None]:
    """The Source of one partition's slice of its file, and the reader for it (None: the kind's own)."""
    path = part.paths[0]
    whole = open_source(Path(path))

    def source(opener: Callable, kind: str) -> Source:
        return Source(name=whole.name, stem=whole.stem, kind=kind, open=opener, ext=whole.ext)

    if part.unit == "lines":
        with open(path, "rb") as fh:
            fh.seek(part.start)
            data = fh.read(part.stop - part.start)
        return source(lambda: _Lines(data, part.first_line), "jsonl"), None
    if part.unit == "gzlines":
        if part.data is not None:
            return source(lambda: _Lines(part.data, part.first_line), "jsonl"), None  # type: ignore[arg-type]
        return source(lambda: _GzLines(path, part.first_line, part.count), "jsonl"), None
    reader = functools.partial(read_warc, first=part.first_line, count=part.count or None)
    return source(lambda: _At(path, part.start), "warc"), reader


def read_partition(part: Partition, settings: Settings) -> list[Article | Problem]:
    """The articles of one partition, with its Problems, in order: what `iter_articles` yields for this slice
    before de-duplication (which needs the whole run and is done where the records are linked)."""
    out: list[Article | Problem] = []
    for name in part.paths:
        try:
            source, reader = _slice_source(part) if part.unit != "files" else (open_source(Path(name)), None)
        except InputError as exc:
            out.append(Problem(name, exc.text))
            continue
        except OSError as exc:
            out.append(Problem(name, Msg.NG101.format(detail=exc.strerror or exc)))
            continue
        for item in _read_source(source, settings, reader):
            oversized = too_large(item, settings) if isinstance(item, Article) else None
            if oversized is not None:
                out.append(oversized)
                continue
            out.append(item)
    return out


__all__ = ["DEFAULT_PARTITION_SIZE", "Partition", "plan", "read_partition", "with_data"]
