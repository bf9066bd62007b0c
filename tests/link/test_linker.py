"""The Linker's split: `prepare` (the record alone, on a worker) then `link` gives what `link` alone gives."""

from __future__ import annotations

import pickle

from newsgraph.link import DedupConfig, Linker
from newsgraph.records import Entity, Record

FLOOD = ("Officials in the river town of Marlow said on Tuesday that the flood barrier held overnight, "
         "sparing the old market square, while volunteers filled sandbags along the eastern bank and the "
         "mayor asked residents of low streets to move cars to higher ground before the next high tide.")
MATCH = ("The harbour team of Castleby won the rowing final on Sunday after a late surge past the favourites, "
         "and their coach said the crew had trained through the winter storms on the open estuary.")


def records() -> list[Record]:
    def rec(doc_id: str, title: str, text: str, day: str) -> Record:
        place = "Marlow" if "Marlow" in text else "Castleby"
        at = text.index(place)
        return Record(doc_id=doc_id, source="t", title=title, url=None, outlet=None, published=day, text=text,
                      entities=[Entity(id=None, name=place, label="GPE", mentions=[[at, at + len(place)]])])
    return [rec("a", "Barrier holds in Marlow", FLOOD, "2021-03-02"),
            rec("b", "Castleby win final", MATCH, "2021-03-02"),
            rec("c", "Marlow barrier holds", FLOOD + " Reporting by a staff writer.", "2021-03-03"),
            rec("d", "Flood barrier holds", FLOOD.replace("Tuesday", "Wednesday"), "2021-03-03")]


def linked(linker: Linker, prepared_by: Linker | None) -> list[dict]:
    items = records()
    # what travels from a worker is pickled on the way
    prepared = pickle.loads(pickle.dumps([prepared_by.prepare(r) for r in items])) if prepared_by else [None] * 4
    out = [r for record, p in zip(items, prepared, strict=True) for r in linker.link(record, p)] + linker.flush()
    return [r.to_dict() for r in out]


def test_linker_prepared_elsewhere_links_the_same() -> None:
    alone = linked(Linker(), None)
    assert alone == linked(Linker(), Linker())
    assert alone[2]["meta"]["duplicate_of"] == "a"
    assert alone[0]["story_id"] == alone[3]["story_id"] != alone[1]["story_id"]


def test_linker_ignores_what_another_configuration_prepared() -> None:
    # a worker whose [link.dedup] differs would call nothing a copy; the linker computes its own instead
    other = Linker(dedup=DedupConfig(min_words=1000))
    assert other.prepare(records()[2]).signature is None
    assert linked(Linker(), other) == linked(Linker(), None)


def test_linker_record_written_after_the_lag_finds_names_later_articles_taught():
    """A name the tagger missed in the first article, and that only a later article named, is found in the first
    when it is written (after the story lag)."""
    from newsgraph.link import Linker
    from newsgraph.records import Entity, Record

    def rec(doc_id: str, text: str, ents: list[tuple[str, str]]) -> Record:
        r = Record(doc_id=doc_id, source=doc_id, title=None, url=None, outlet=None, published=None, text=text)
        for i, (name, label) in enumerate(ents):
            s = text.index(name)
            r.entities.append(Entity(id=f"local:{i}", name=name, label=label, mentions=[[s, s + len(name)]]))
        return r

    linker = Linker()
    first = rec("a", "Hackers hit users of Velmora Browser this week, Ostrand Systems said.", [("Ostrand Systems", "ORG")])
    second = rec("b", "Ostrand Systems patched Velmora Browser on Friday.",
                 [("Ostrand Systems", "ORG"), ("Velmora Browser", "ORG")])
    written = linker.link(first) + linker.link(second) + linker.flush()
    a = next(r for r in written if r.doc_id == "a")
    names = {e.name: [a.text[s:t] for s, t in e.mentions] for e in a.entities}
    assert names["Velmora Browser"] == ["Velmora Browser"]
