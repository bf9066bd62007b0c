"""--dask: a LocalCluster of 2 worker processes gives the records of the single-process run, byte for byte,
with a WARC file cut into record ranges and a gzipped JSONL file into line ranges among the inputs."""

from __future__ import annotations

import io
from pathlib import Path

import dask
import pytest

from newsgraph.batch import run_extract, run_partitioned
from newsgraph.errors import NewsgraphError
from newsgraph.scale.dask_run import LocalRunner, dask_runner, parse_address

CORPUS = Path(__file__).parent / "fixtures" / "corpus"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory, crawl) -> list[str]:
    folder = tmp_path_factory.mktemp("crawls")
    crawl.warc(folder / "crawl.warc.gz", 9)
    crawl.gz_jsonl(folder / "dump.jsonl.gz", crawl.lines[:14])
    return [str(CORPUS), str(folder / "crawl.warc.gz"), str(folder / "dump.jsonl.gz")]


@pytest.fixture(scope="module")
def single_run(settings, inputs: list[str]) -> tuple[str, dict]:
    out = io.StringIO()
    summary = run_extract(inputs, settings, out)
    return out.getvalue(), summary.to_dict()


def _same(expected: str, got: str) -> None:
    assert sorted(got.splitlines()) == sorted(expected.splitlines())
    assert got == expected  # and in the same order: linking ran in input order


@pytest.mark.model
def test_dask_local_cluster_equals_single_process(settings, inputs, single_run) -> None:
    expected, expected_summary = single_run
    out = io.StringIO()
    with dask_runner("local:2", dashboard=False) as runner:
        assert runner.workers == 2
        summary = run_partitioned(inputs, settings, runner, out=out, partition_size=2)
        # the local cluster's workers run without the stack sampler; this process's own config is untouched
        profiling = runner.client.run(lambda: dask.config.get("distributed.worker.profile.enabled"))
        assert list(profiling.values()) == [False, False]
    assert dask.config.get("distributed.worker.profile.enabled") is True
    _same(expected, out.getvalue())
    got_summary = summary.to_dict()
    for key in ("articles", "words", "failed", "notices"):
        assert got_summary[key] == expected_summary[key]


@pytest.mark.model
@pytest.mark.parametrize("size", [1, 3, 100])
def test_dask_partition_size_changes_nothing(settings, inputs, single_run, size: int) -> None:
    out = io.StringIO()
    run_partitioned(inputs, settings, LocalRunner(), out=out, partition_size=size)
    _same(single_run[0], out.getvalue())


@pytest.mark.parametrize("value,expected", [("local:3", ("local", 3)), ("local", ("local", None)),
                                            ("tcp://10.0.0.5:8786", ("tcp://10.0.0.5:8786", None))])
def test_dask_parse_address(value: str, expected: tuple) -> None:
    assert parse_address(value) == expected


def test_dask_bad_address() -> None:
    with pytest.raises(NewsgraphError, match="NG602"):
        parse_address("two workers")


def test_dask_missing_extra_is_a_coded_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from newsgraph.scale import require

    monkeypatch.setitem(sys.modules, "distributed", None)  # as if the extra were not installed
    with pytest.raises(NewsgraphError, match=r"NG601 --dask needs dask\[distributed\].*newsgraph\[scale\]"):
        require("distributed", "--dask", "dask[distributed]")
