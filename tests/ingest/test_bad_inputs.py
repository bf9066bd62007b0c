"""Bad inputs beside good ones: the good ones come out, each bad one is reported by its path."""

from __future__ import annotations

import gzip
import json

from newsgraph.config import Settings
from newsgraph.ingest import Problem, iter_articles
from newsgraph.records import Article


def test_bad_inputs_reported_by_path_good_ones_kept(tmp_path, settings):
    (tmp_path / "good.txt").write_text("A good article about the harbour strike.", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 owners said prices rose.".encode("latin-1"))
    lines = [json.dumps({"id": "j1", "text": "Good record one."}), "{not json", json.dumps({"id": "j3"}),
             json.dumps(["a", "list"]), json.dumps({"id": "j5", "text": "Good record five."})]
    (tmp_path / "records.jsonl").write_text("\n".join(lines), encoding="utf-8")
    data = gzip.compress(("\n".join(json.dumps({"id": f"z{i}", "text": f"Zipped story {i} " + "x" * 2000})
                                    for i in range(50))).encode())
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    (tmp_path / "empty.html").write_text("   ")

    items = list(iter_articles([str(tmp_path)], settings))
    good = [a.doc_id for a in items if isinstance(a, Article)]
    bad = [p for p in items if isinstance(p, Problem)]
    assert "good" in good and "j1" in good and "j5" in good
    assert any(i.startswith("z") for i in good)  # records before the cut are kept
    by_path: dict[str, list[str]] = {}
    for p in bad:
        by_path.setdefault(p.path.rsplit("/", 1)[-1], []).append(p.reason)
    assert "binary" in by_path["binary.txt"][0]
    assert "empty" in by_path["empty.txt"][0]
    assert "not valid utf-8" in by_path["latin1.txt"][0] and "offset 3" in by_path["latin1.txt"][0]
    assert len(by_path["records.jsonl"]) == 3  # bad JSON, no text, not an object
    assert "line 2" in by_path["records.jsonl"][0]
    assert "gzip" in by_path["cut.jsonl.gz"][0] or "compressed" in by_path["cut.jsonl.gz"][0]
    assert "empty" in by_path["empty.html"][0]
    assert all(p.fatal for p in bad)


def test_missing_path_and_oversized(tmp_path):
    settings = Settings(max_bytes=100)
    (tmp_path / "big.txt").write_text("word " * 100)
    items = list(iter_articles([str(tmp_path / "nope.txt"), str(tmp_path / "big.txt")], settings))
    assert [str(p).split("/")[-1] for p in items] == [
        "nope.txt: NG116 no such file or folder",
        "big.txt: NG105 too large: more than 100 bytes, limit is 100 (setting ingest.max_bytes)",
    ]


def test_other_encoding_by_setting(tmp_path):
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 owners said prices rose.".encode("latin-1"))
    [article] = list(iter_articles([str(tmp_path / "latin1.txt")], Settings(encoding="latin-1")))
    assert article.text.startswith("Café")
