"""Entity identity across articles: one id for every mention of the same real-world entity."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from ..data import load_table
from ..extract.entities import initials, is_acronym, name_key, name_tokens
from ..records import Entity, Record
from .ids import stable_id

# Labels that name the same kind of thing: a place may be tagged GPE in one article and LOC in another.
_KIND = {"GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}


def kind_of(label: str) -> str:
    return _KIND.get(label, label)


@dataclass
class _Identity:
    id: str
    kind: str
    name: str
    tokens: list[str]
    keys: set[str] = field(default_factory=set)
    firsts: set[str] = field(default_factory=set)  # first names seen with this person's surname
    slots: set[tuple[str, str]] = field(default_factory=set)  # the by_token buckets it is in


@dataclass
class _Block:
    """The newest identities whose names begin (or end) with the same three characters, in the order seen."""

    names: deque[str]
    owners: deque[tuple[int, _Identity]]  # (when seen, identity), beside each name


class IdentityLinker:
    """Swaps each entity's article-local id (`local:N`) for a run-wide one, in quotes and stances too.

    An entity joins an identity already seen in the run when any of its names (canonical name,
    mention texts, handles) is a name of that identity, when it is an acronym of it or a known
    alias (data/entity_aliases.tsv), when a person's full name shares the surname and does not
    contradict the first name, when a lone surname or first name fits exactly one person, or when
    the names are near matches (rapidfuzz). Otherwise it starts a new identity, whose id is made
    from its label and name, so the same input gives the same ids.
    """

    def __init__(self, aliases: str = "entity_aliases.tsv", fuzzy_cutoff: float = 92.0,
                 fuzzy_block: int = 512) -> None:
        self.aliases = {name_key(row["alias"]): name_key(row["canonical"]) for row in load_table(aliases)}
        self.fuzzy_cutoff = fuzzy_cutoff
        self.identities: list[_Identity] = []
        self.by_key: dict[tuple[str, str], _Identity] = {}
        self.by_token: dict[tuple[str, str], list[_Identity]] = {}
        # Near matches are looked for among names that begin or end with the same three characters, the
        # newest `fuzzy_block` of each: a scan of every name would cost more with every article (a million
        # names: 70 ms a lookup; two blocks: 0.08 ms at most). Two names this close (fuzz.ratio >= 92)
        # differ by a letter or two, so they share their first three or their last three unless both ends
        # were misspelt.
        self.fuzzy_block = fuzzy_block
        self.blocks: dict[tuple[str, str], _Block] = {}

    def link(self, record: Record) -> None:
        mapping: dict[str, str] = {}
        # full names first, so a surname in the same article finds the person named in full
        order = sorted(record.entities, key=lambda e: -len(name_tokens(e.name)))
        for entity in order:
            identity = self._resolve(entity, record.text)
            if entity.id:
                mapping[entity.id] = identity.id
            entity.id = identity.id
        for quote in (*record.quotes, *record.stances):
            if quote.speaker_id in mapping:
                quote.speaker_id = mapping[quote.speaker_id]

    # ------------------------------------------------------------------ matching
    def _surface_keys(self, entity: Entity, text: str) -> set[str]:
        keys = {name_key(entity.name)}
        for start, end in entity.mentions:
            if 0 <= start < end <= len(text):
                keys.add(name_key(text[start:end]).lstrip("@"))
        keys |= {self.aliases[k] for k in list(keys) if k in self.aliases}
        return {k for k in keys if k}

    def _resolve(self, entity: Entity, text: str) -> _Identity:
        kind = kind_of(entity.label)
        keys = self._surface_keys(entity, text)
        tokens = name_tokens(entity.name)
        found = self._match(kind, entity.name, tokens, keys)
        if found is None:
            canonical = self.aliases.get(name_key(entity.name), entity.name)
            found = _Identity(id=stable_id("E", kind, canonical), kind=kind, name=entity.name, tokens=tokens)
            self.identities.append(found)
            self._block(kind, name_key(entity.name), found)
        elif kind == "PERSON" and len(tokens) > len(found.tokens):
            found.name, found.tokens = entity.name, tokens  # a lone surname seen first gets its full name
        self._register(found, keys, tokens)
        return found

    def _match(self, kind: str, name: str, tokens: list[str], keys: set[str]) -> _Identity | None:
        for key in sorted(keys):
            hit = self.by_key.get((kind, key))
            if hit is not None and self._compatible(hit, tokens):
                return hit
        if kind == "PERSON" and tokens:
            hit = self._person(tokens)
            if hit is not None:
                return hit
        for key in sorted(keys):  # a handle that spells a known name ("AlinejadMasih")
            hit = self.by_key.get(("\x01", key.replace("_", "")))
            if hit is not None and " " not in key:
                return hit
        if kind == "ORG" and is_acronym(name):
            hit = self.by_key.get((kind, "\x00" + name.replace(".", "").lower()))
            if hit is not None:
                return hit
        key = name_key(name)
        if len(key) >= 5:
            hit = self._near(kind, key)
            if hit is not None and self._compatible(hit, tokens):
                return hit
        return None

    @staticmethod
    def _ends(key: str) -> tuple[str, str]:
        return "<" + key[:3], ">" + key[-3:]

    def _block(self, kind: str, key: str, identity: _Identity) -> None:
        for end in self._ends(key):
            block = self.blocks.get((kind, end))
            if block is None:
                block = self.blocks[(kind, end)] = _Block(deque(maxlen=self.fuzzy_block),
                                                          deque(maxlen=self.fuzzy_block))
            block.names.append(key)
            block.owners.append((len(self.identities), identity))

    def _near(self, kind: str, key: str) -> _Identity | None:
        """The closest name at or above the cutoff, the first seen among equals (as a scan of all would give)."""
        best: tuple[float, int, _Identity] | None = None
        for end in self._ends(key):
            block = self.blocks.get((kind, end))
            found = block and process.extractOne(key, block.names, scorer=fuzz.ratio, score_cutoff=self.fuzzy_cutoff)
            if found:
                seq, identity = block.owners[found[2]]
                if best is None or (found[1], -seq) > (best[0], -best[1]):
                    best = (found[1], seq, identity)
        return None if best is None else best[2]

    def _person(self, tokens: list[str]) -> _Identity | None:
        surname = tokens[-1]
        if len(tokens) == 1:
            # a lone name: the one person with that surname (or, failing that, that first name)
            for slot in ("last", "first"):
                cands = self.by_token.get((slot, surname), [])
                if len(cands) == 1:
                    return cands[0]
                if cands:
                    return None
            return None
        cands = [c for c in self.by_token.get(("last", surname), []) if self._compatible(c, tokens)]
        return cands[0] if len(cands) == 1 else None

    @staticmethod
    def _compatible(identity: _Identity, tokens: list[str]) -> bool:
        """Two people who share a surname are the same only if their first names agree (or one is absent)."""
        if identity.kind != "PERSON" or len(tokens) < 2 or not identity.firsts:
            return True
        first = tokens[0]
        return any(f == first or (len(first) == 1 and f.startswith(first)) or (len(f) == 1 and first.startswith(f))
                   for f in identity.firsts)

    def _register(self, identity: _Identity, keys: set[str], tokens: list[str]) -> None:
        for key in keys:
            self.by_key.setdefault((identity.kind, key), identity)
        if identity.kind == "ORG":
            for key in keys:
                if not is_acronym(key.upper()) and len(name_tokens(key)) > 1:
                    self.by_key.setdefault((identity.kind, "\x00" + initials(key)), identity)
                elif is_acronym(key.upper()) and " " not in key:
                    self.by_key.setdefault((identity.kind, "\x00" + key.replace(".", "")), identity)
        if identity.kind == "PERSON" and len(tokens) > 1:
            identity.firsts.add(tokens[0])
            for spelled in ("".join(tokens), "".join(reversed(tokens))):
                self.by_key.setdefault(("\x01", spelled.replace("-", "").replace("'", "")), identity)
            for slot in (("last", tokens[-1]), ("first", tokens[0])):
                self._file(identity, slot)
        elif identity.kind == "PERSON" and tokens:
            self._file(identity, ("last", tokens[0]))

    def _file(self, identity: _Identity, slot: tuple[str, str]) -> None:
        # a set on the identity says whether it is in the bucket: a common surname's bucket grows long
        if slot not in identity.slots:
            identity.slots.add(slot)
            self.by_token.setdefault(slot, []).append(identity)
