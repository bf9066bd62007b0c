"""Ingest into a store: the linking state carries on from what the store already holds."""

from __future__ import annotations

from newsgraph.store import ingest as store_ingest
from newsgraph.store import linkstate


class RecordingLinker:
    def __init__(self) -> None:
        self.seen: list[str] = []

    @classmethod
    def from_settings(cls, _settings) -> RecordingLinker:
        return cls()

    def link(self, record, prepared=None):
        self.seen.append(record.doc_id)
        return [record]

    def flush(self):
        return []


def test_ingest_restore_replays_stored_records_in_order(filled_store, store_records, monkeypatch):
    monkeypatch.setattr(linkstate, "Linker", RecordingLinker)
    monkeypatch.setattr(linkstate, "SAVE_AFTER", 0)  # a replay of four articles is saved too
    linker = store_ingest.restore_linker(filled_store)  # no snapshot yet: every stored record, in order
    assert linker.linker.seen == [r.doc_id for r in store_records]
    again = store_ingest.restore_linker(filled_store)  # the replay was saved: restored, nothing replayed
    assert (again.restored, again.replayed) == (True, 0)
    assert again.linker.seen == linker.linker.seen
