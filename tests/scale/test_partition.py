"""Partitions: slices of the input that read back exactly as the whole input reads (no model needed)."""

from __future__ import annotations

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
