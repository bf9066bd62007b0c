"""Ingest into a store: the linking state carries on from what the store already holds."""

from __future__ import annotations

from newsgraph.store import ingest as store_ingest


class RecordingLinker:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def link(self, record):
        self.seen.append(record.doc_id)
        return [record]

    def flush(self):
        return []


class StatefulLinker(RecordingLinker):
    restored = None

    def from_state(self, state) -> None:
        StatefulLinker.restored = state

    def to_state(self):
        return {"seen": self.seen}


def test_ingest_restore_replays_stored_records_in_order(filled_store, store_records, monkeypatch):
    monkeypatch.setattr(store_ingest, "Linker", RecordingLinker)
    linker = store_ingest.restore_linker(filled_store)
    assert linker.seen == [r.doc_id for r in store_records]


def test_ingest_restore_uses_saved_state_when_the_linker_has_one(filled_store, monkeypatch):
    monkeypatch.setattr(store_ingest, "Linker", StatefulLinker)
    linker = store_ingest.restore_linker(filled_store)  # nothing saved yet: replay
    store_ingest.save_linker(filled_store, linker)
    again = store_ingest.restore_linker(filled_store)
    assert StatefulLinker.restored == {"seen": linker.seen}
    assert again.seen == []
