"""Partitions: slices of the input that read back exactly as the whole input reads (no model needed)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from newsgraph.errors import NewsgraphError
from newsgraph.ingest import Problem, iter_articles
from newsgraph.records import Article
from newsgraph.scale.partition import Partition, plan, read_partition

CORPUS = Path(__file__).parent / "fixtures" / "corpus"


def _items(settings, items) -> list[tuple[str, str]]:
    return [(i.doc_id, i.text) if isinstance(i, Article) else ("problem", str(i)) for i in items]


@pytest.mark.parametrize("size", [1, 2, 3, 64])
def test_partition_slices_read_as_the_whole(settings, size: int) -> None:
    unpartitioned = [i for i in iter_articles([str(CORPUS)], settings) if not (isinstance(i, Problem) and not i.fatal)]
    parts = plan([str(CORPUS)], size)
    assert all(isinstance(p, Partition) for p in parts)
    pieces = [item for part in parts for item in read_partition(part, settings)]  # type: ignore[arg-type]
    # the whole-input read drops the one duplicate; partitions leave that to the linking stage
    duplicates = [a for a in pieces if isinstance(a, Article) and a.doc_id == "ferry-1-copy"]
    assert len(duplicates) == 1
    pieces = [p for p in pieces if p is not duplicates[0]]
    assert _items(settings, pieces) == _items(settings, unpartitioned)


def test_partition_keys_follow_content(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    before = plan([str(corpus)], 2)
    assert [p.key for p in before] == [p.key for p in plan([str(corpus)], 2)]
    wire = corpus / "wire.jsonl"
    lines = wire.read_text(encoding="utf-8").splitlines(keepends=True)
    wire.write_text("".join(lines[:-1]) + lines[-1].replace("mirror.example", "copy.example"), encoding="utf-8")
    after = plan([str(corpus)], 2)
    changed = [a.index for a, b in zip(before, after, strict=True) if a.key != b.key]
    assert changed == [[p.index for p in before if p.paths == (str(wire),)][-1]]  # the slice with the edited line


def test_partition_lines_keep_line_numbers(settings) -> None:
    parts = [p for p in plan([str(CORPUS / "wire.jsonl")], 2) if isinstance(p, Partition)]
    assert all(p.lines for p in parts)
    second = read_partition(parts[1], settings)
    assert [getattr(i, "doc_id", None) for i in second] == ["budget-1", None]
    assert "line 4" in str(second[1])


def test_partition_refuses_stdin() -> None:
    with pytest.raises(NewsgraphError, match="NG605"):
        plan(["-"])


def test_partition_missing_input_is_a_problem(tmp_path: Path) -> None:
    items = plan([str(tmp_path / "nowhere.txt"), str(CORPUS / "local")], 10)
    assert isinstance(items[0], Problem) and "NG116" in items[0].reason
    assert isinstance(items[1], Partition) and len(items[1].paths) == 3


# ---- WARC files cut into record ranges, gzipped JSONL into line ranges (made here, with warcio and gzip)

def _whole_and_pieces(settings, path: Path, size: int) -> tuple[list, list, list[Partition]]:
    whole = list(iter_articles([str(path)], settings))
    parts = [p for p in plan([str(path)], size) if isinstance(p, Partition)]
    pieces = [item for part in parts for item in read_partition(part, settings)]
    return whole, pieces, parts


def _full(items) -> list[tuple]:
    return [(i.doc_id, i.source, i.url, i.text, i.meta, i.kind) if isinstance(i, Article) else (i.fatal, str(i))
            for i in items]


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_partition_warc_record_ranges(settings, crawl, tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    crawl.warc(path, 14, gz=gz)
    whole, pieces, parts = _whole_and_pieces(settings, path, 3)
    assert [(p.unit, p.first_line, p.count, p.articles) for p in parts] == [
        ("records", 1, 8, 3), ("records", 9, 8, 3), ("records", 17, 8, 3), ("records", 25, 0, 3)]
    assert parts[-1].describe().endswith("records 25..end")
    assert _full(pieces) == _full(whole)
    assert len([a for a in whole if isinstance(a, Article)]) == 11  # html pages with status 200
    assert plan([str(path)], 3) == plan([str(path)], 3)  # keys follow content
    assert len({p.key for p in parts}) == len(parts)


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_partition_warc_cut_off_reads_as_the_whole(settings, crawl, tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("clipped.warc.gz" if gz else "clipped.warc")
    data = crawl.warc(tmp_path / "full", 14, gz=gz)
    path.write_bytes(data[:-150])
    whole, pieces, parts = _whole_and_pieces(settings, path, 3)
    assert len(parts) > 2
    assert _full(pieces) == _full(whole)
    [problem] = [p for p in whole if isinstance(p, Problem)]
    assert "NG111" in problem.reason and "truncated" in problem.reason


def test_partition_warc_broken_in_the_middle(settings, crawl, tmp_path: Path) -> None:
    path = tmp_path / "broken.warc.gz"
    data = crawl.warc(tmp_path / "full", 14)
    middle = len(data) // 2
    path.write_bytes(data[:middle] + b"not a gzip member" + data[middle + 17:])
    whole, pieces, parts = _whole_and_pieces(settings, path, 3)
    assert len(parts) == 2 and parts[-1].count == 0  # the planner stops where the whole-file read stops
    assert _full(pieces) == _full(whole)
    # the garbage warcio parses out of the broken member is a bad record (NG111), then the file stops (NG112)
    assert [p.reason[:5] for p in whole if isinstance(p, Problem)][-1] == "NG112"


def test_partition_warc_read_whole_when_it_cannot_be_cut(settings, crawl, tmp_path: Path) -> None:
    one_stream = tmp_path / "one-stream.warc.gz"  # gzip over the whole file, not record by record
    crawl.warc(one_stream, 14, one_stream=True)
    blank = tmp_path / "blank.warc"  # text conversions with no text: the whole-file read's NG120 notice
    crawl.warc(blank, 14, gz=False, wet="blank")
    for path in (one_stream, blank):
        whole, pieces, parts = _whole_and_pieces(settings, path, 3)
        assert [p.unit for p in parts] == ["files"]
        assert _full(pieces) == _full(whole)
    assert "NG120" in str(whole[-1])


def test_partition_wet_conversions(settings, crawl, tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.wet.gz"
    crawl.warc(path, 10, wet=True, bad_url=2)
    whole, pieces, parts = _whole_and_pieces(settings, path, 4)
    assert [p.articles for p in parts] == [4, 4, 2]
    assert _full(pieces) == _full(whole)
    # one record's bad URL is that record's problem: the records after it are read, whole file or slices
    assert [p.reason for p in whole if isinstance(p, Problem)] == [
        "NG111 WARC record 4 (https://[brindlemouth/quay/2): Invalid IPv6 URL"]
    assert len([a for a in whole if isinstance(a, Article)]) == 9


def test_partition_gzipped_jsonl_line_ranges(settings, crawl, tmp_path: Path) -> None:
    from newsgraph.scale.partition import with_data

    path = tmp_path / "dump.jsonl.gz"
    crawl.gz_jsonl(path, crawl.lines)
    whole, pieces, parts = _whole_and_pieces(settings, path, 5)
    assert [(p.unit, p.first_line, p.count, p.articles) for p in parts] == [
        ("gzlines", 1, 6, 5), ("gzlines", 7, 5, 5), ("gzlines", 12, 5, 5), ("gzlines", 17, 6, 5),
        ("gzlines", 23, 5, 5), ("gzlines", 28, 2, 2)]
    assert _full(pieces) == _full(whole)
    assert [p.reason[:5] for p in whole if isinstance(p, Problem)] == ["NG106", "NG106"]
    assert "dump-13" in [a.doc_id for a in whole if isinstance(a, Article)]  # numbered as in the whole file
    # lines attached on their way to the workers read as the workers would read the file
    attached = list(with_data(parts))
    assert all(p.data for p in attached) and attached == parts
    assert _full(item for part in attached for item in read_partition(part, settings)) == _full(whole)
    # a slice whose lines changed after planning goes without: the worker reads what is there now
    crawl.gz_jsonl(path, [line.replace("number 20 ", "number 21 ") for line in crawl.lines])
    assert [p.data is None for p in with_data(parts)] == [False, False, False, True, False, False]


def test_partition_gzipped_jsonl_cut_off(settings, crawl, tmp_path: Path) -> None:
    from newsgraph.scale.partition import with_data

    path = tmp_path / "clipped.jsonl.gz"
    crawl.gz_jsonl(path, crawl.lines, cut=12)
    whole, pieces, parts = _whole_and_pieces(settings, path, 5)
    assert len(parts) > 2 and parts[-1].count == 0 and parts[-1].describe().endswith("..end")
    assert _full(pieces) == _full(whole)
    assert whole[-1].reason.startswith("NG110")  # type: ignore[union-attr]
    assert [p.data is None for p in with_data(parts)][-1]


def test_partition_plain_jsonl_lines_end_at_newlines_only(settings, tmp_path: Path) -> None:
    path = tmp_path / "returns.jsonl"  # a bare \r between JSON tokens is whitespace, not a line end
    path.write_bytes(b"".join(b'{"id": "r%d",\r "text": "Tide table %d."}\n' % (i, i) for i in range(6)))
    whole, pieces, _ = _whole_and_pieces(settings, path, 2)
    assert _full(pieces) == _full(whole) and len(whole) == 6


# ---- the end of a plan cut finer, so that the workers done first do not wait long for the last partition

def _wire(path: Path, n: int) -> Path:
    path.write_text("".join(json.dumps({"id": f"{path.stem}-{i}", "text": f"Ferry {i} sails at dawn on Monday."})
                            + "\n" for i in range(n)), encoding="utf-8")
    return path


def test_partition_tail_is_cut_finer(tmp_path: Path) -> None:
    wire = _wire(tmp_path / "wire.jsonl", 100)
    assert [p.articles for p in plan([str(wire)], 16)] == [16, 16, 16, 16, 8, 8, 8, 4, 4, 2, 2]
    # the tail runs on into the file before when the last one is short
    short = _wire(tmp_path / "short.jsonl", 6)
    assert [p.articles for p in plan([str(_wire(wire, 40)), str(short)], 16)] == [16, 4, 8, 8, 4, 2, 2, 2]
    # below TAPER_FROM, every partition but the last holds `size`
    assert [p.articles for p in plan([str(short)], 4)] == [4, 2]


@pytest.mark.parametrize("kind", ["jsonl", "jsonl.gz", "warc.gz", "txt"])
def test_partition_tail_reads_as_the_whole(settings, crawl, tmp_path: Path, kind: str) -> None:
    from newsgraph.scale.partition import with_data

    path = tmp_path / f"input.{kind}"
    if kind == "jsonl":
        _wire(path, 60)
    elif kind == "jsonl.gz":
        crawl.gz_jsonl(path, [line.replace("number", f"copy {k} number") for k in (1, 2) for line in crawl.lines if line])
    elif kind == "warc.gz":
        crawl.warc(path, 40)
    else:
        path.mkdir()
        for i in range(40):
            (path / f"note-{i:02}.txt").write_text(f"Slipway {i} reopens on Monday, the quay committee said.\n",
                                                  encoding="utf-8")
    whole, pieces, parts = _whole_and_pieces(settings, path, 16)
    assert [p.articles for p in parts][-2:] == [2, 2] and len(parts) >= 6
    assert _full(pieces) == _full(whole)
    assert plan([str(path)], 16) == parts  # keys follow content, not the run
    attached = list(with_data(parts))
    assert attached == parts and all(p.data for p in attached) == (kind == "jsonl.gz")
    assert _full(item for part in attached for item in read_partition(part, settings)) == _full(whole)
