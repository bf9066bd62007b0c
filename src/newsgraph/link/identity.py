"""Entity identity across articles: one id for every mention of the same real-world entity."""

from __future__ import annotations

import bisect
import re
from collections import Counter, deque
from dataclasses import astuple, dataclass, field

from rapidfuzz import fuzz, process

from ..data import load_table
from ..extract.entities import (
    COMPANY_FORMS,
    FACILITY_WORDS,
    FIRST_NAMES,
    PersonName,
    facility_core,
    initials,
    is_acronym,
    is_full_form,
    name_key,
    name_tokens,
    person_name,
    same_person_name,
)
from ..records import Entity, Record
from .ids import stable_id

# Labels that name the same kind of thing: a place may be tagged GPE in one article and LOC in another.
_KIND = {"GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}


def kind_of(label: str) -> str:
    return _KIND.get(label, label)


@dataclass(eq=False)  # one object per identity: compared and hashed as itself, not field by field
class _Identity:
    id: str
    kind: str
    name: str
    tokens: list[str]
    keys: set[str] = field(default_factory=set)
    # the full names it was given, in parts (PersonName as a plain tuple: a linker snapshot holds only link/ classes)
    people: set[tuple] = field(default_factory=set)
    slots: set[tuple[str, str]] = field(default_factory=set)  # the by_token buckets it is in
    labels: Counter[str] = field(default_factory=Counter)  # one vote per article
    forms: Counter[str] = field(default_factory=Counter)  # proper full-name mentions, as written
    best_form: str | None = None
    best_surface: str | None = None
    surfaces: Counter[str] = field(default_factory=Counter)  # every other mention, as written
    context: Counter[str] = field(default_factory=Counter)  # ids of the identities seen in its articles

    @property
    def label(self) -> str:
        return self.labels.most_common(1)[0][0] if self.labels else self.kind


@dataclass
class _Block:
    """The newest identities whose names begin (or end) with the same three characters, in the order seen."""

    names: deque[str]
    owners: deque[tuple[int, _Identity]]  # (when seen, identity), beside each name


class IdentityLinker:
    """Swaps each entity's article-local id (`local:N`) for a run-wide one, in quotes and stances too.

    An entity joins an identity already seen in the run when any of its names (canonical name,
    mention texts of two or more words, handles) is a name of that identity and the person's name
    parts agree (`same_person_name`: first name, middle initials, surname, Jr./Sr.), when it is an
    acronym of it or a known alias (data/entity_aliases.tsv), when a person's full name agrees with
    the full names of one person of that surname, when a lone surname fits exactly one person (or,
    among several, one the article's other entities single out), or when an organisation's or
    place's names are near matches (rapidfuzz). Otherwise it starts a new identity, whose id is made
    from its label and name, so the same input gives the same ids. A person and an organisation of
    the same full name are one identity; its label is the one most articles gave it.

    Each entity then takes its identity's name (the proper full-name mention written most often in
    the run, else its most frequent mention) and label, as they stand when the record is written.
    """

    def __init__(self, aliases: str = "entity_aliases.tsv", abbreviations: str = "name_abbreviations.tsv",
                 fuzzy_cutoff: float = 92.0,
                 fuzzy_block: int = 512, context_size: int = 256, context_min: int = 2,
                 word_table: str = "word_freq.tsv", common_zipf: float = 4.5, plural_zipf: float = 3.0,
                 bucket_size: int = 64,
                 known_names: bool = True) -> None:
        self.aliases = {name_key(row["alias"]): name_key(row["canonical"]) for row in load_table(aliases)}
        self.abbreviations = {row["abbreviation"]: row["word"] for row in load_table(abbreviations)}
        self.fuzzy_cutoff = fuzzy_cutoff
        self.identities: list[_Identity] = []
        self.kinds: list[str] = []  # the kinds seen, in order
        self.by_id: dict[str, _Identity] = {}
        self.by_key: dict[tuple[str, str], _Identity] = {}
        self.by_token: dict[tuple[str, str], list[_Identity]] = {}
        self.bucket_size = bucket_size
        # Near matches are looked for among names that begin or end with the same three characters, the
        # newest `fuzzy_block` of each: a scan of every name would cost more with every article (a million
        # names: 70 ms a lookup; two blocks: 0.08 ms at most). Two names this close (fuzz.ratio >= 92)
        # differ by a letter or two, so they share their first three or their last three unless both ends
        # were misspelt.
        self.fuzzy_block = fuzzy_block
        self.blocks: dict[tuple[str, str], _Block] = {}
        # a person's co-occurring identities, kept to the most frequent `context_size` (a bounded cost
        # per article); a lone surname shared by several people goes to the one whose context it shares
        # in at least `context_min` identities, twice as many as any other's
        self.context_size = context_size
        self.context_min = context_min
        # a lone word this common in English ("House", "Court") is too ambiguous to be taken for the short form
        # of a longer name in the same article ("White House"); rarer ones ("Saints", "Colts") are
        self.common = {row["word"] for row in load_table(word_table) if float(row["zipf"]) >= common_zipf}
        # a lone capitalised plural of an English word ("Jaguars", "Chargers") names a team or a group, not a person
        self.words = {row["word"] for row in load_table(word_table) if float(row["zipf"]) >= plural_zipf}
        # names the run has already linked are also found where this article's tagger missed them (`_known`)
        self.known_names = known_names

    def link(self, record: Record) -> None:
        mapping: dict[str, str] = {}
        # full names first, so a surname in the same article finds the person named in full
        order = sorted(record.entities, key=lambda e: -len(name_tokens(e.name)))
        seen: list[_Identity] = []
        # the identities the article's names already are, as written (a look-up, nothing registered): the context
        # of a name resolved before the others ("San Diego Chargers" comes before "Philip Rivers" in `order`)
        around = list(dict.fromkeys(hit for e in record.entities if (key := name_key(e.name))
                                    and (hit := self.by_key.get((_space(kind_of(e.label), key), key))) is not None))
        for entity in order:
            identity = self._resolve(entity, record.text, seen, around)
            if entity.id:
                mapping[entity.id] = identity.id
            entity.id = identity.id
            if identity not in seen:
                seen.append(identity)
        if self.known_names:
            self._known(record, seen)
        self._count(record, seen)
        self.rename(record)
        for quote in (*record.quotes, *record.stances):
            if quote.speaker_id in mapping:
                quote.speaker_id = mapping[quote.speaker_id]

    def relook(self, record: Record) -> None:
        """Look again, when the record is written, for the names the run has linked since it was linked.

        A record is written a few articles after it was linked (the story lag): a name that only a later article
        of the same story taught the run is found in it too. Its counts are left as they were.
        """
        if self.known_names:
            self._known(record, [i for e in record.entities if (i := self.by_id.get(e.id or "")) is not None])

    def _known(self, record: Record, seen: list[_Identity]) -> None:
        """Untagged mid-sentence occurrences of names the run has linked before become their mentions.

        The small model tags a name in one article and misses it in the next ("Internet Explorer", "Colts").
        A run of capitalised words is looked up, longest first, among the run's names: a name of two or more
        words of anything, or a lone rare word or acronym of a thing (not a person) that two or more articles
        named. A run that opens a sentence is not looked up by its first word alone. One dictionary look-up per
        candidate: the cost per article does not grow with the run.
        """
        text = record.text
        taken = sorted((s, e) for ent in record.entities for s, e in ent.mentions)
        by_id = {e.id: e for e in record.entities}
        words = list(_CAPITAL_WORD.finditer(text))
        runs: list[list[re.Match[str]]] = []
        for w in words:
            if runs and text[runs[-1][-1].end():w.start()] == " ":
                runs[-1].append(w)
            else:
                runs.append([w])
        shouting: dict[int, bool] = {}  # by line start: each line is read once, not once per run of words
        for run in runs:
            line = text.rfind("\n", 0, run[0].start()) + 1
            if line not in shouting:
                shouting[line] = _shouting(text, run[0].start())
            if shouting[line]:
                continue  # a line in capitals (a heading, a table) says nothing of names
            i = 0
            while i < len(run):
                found = None
                for j in range(min(len(run), i + 4), i, -1):
                    s, e = run[i].start(), run[j - 1].end()
                    inside = _overlapping(taken, s, e)
                    if inside and (j - i < 2 or any(a <= s and b >= e or a < s or b > e for a, b in inside)):
                        continue  # only a longer known name may take the place of shorter tagged parts
                    identity = self._known_name(text[s:e], j - i, opens=i == 0 and _opens_sentence(text, s),
                                                seen=seen)
                    if identity is not None and (not inside or self._shorter_parts(record, inside, identity)):
                        found = (s, e, identity, j)
                        break
                if found is None:
                    i += 1
                    continue
                s, e, identity, i = found
                for part in _overlapping(taken, s, e):
                    # "Indianapolis" tagged GPE inside the "Indianapolis Colts" the run knows: the longer name
                    taken.remove(part)
                    for other in record.entities:
                        if list(part) in other.mentions:
                            other.mentions.remove(list(part))
                record.entities[:] = [x for x in record.entities if x.mentions]
                by_id = {x.id: x for x in record.entities}
                seen[:] = [x for x in seen if x.id in by_id]
                entity = by_id.get(identity.id)
                if entity is None:
                    entity = by_id[identity.id] = Entity(id=identity.id, name=self._name(identity), label=identity.label)
                    record.entities.append(entity)
                    if identity not in seen:
                        seen.append(identity)
                entity.mentions.append([s, e])
                entity.mentions.sort()
                bisect.insort(taken, (s, e))

    def _shorter_parts(self, record: Record, parts: list[tuple[int, int]], identity: _Identity) -> bool:
        """Tagged parts a known longer name may replace: none is the name's own identity or a quote's speaker, and
        the name is no person's (a person's name is not widened over other words)."""
        if identity.people:
            return False
        speakers = {q.speaker_id for q in (*record.quotes, *record.stances)}
        return not any(
            any(list(p) in entity.mentions for p in parts) and (
                entity.id == identity.id or entity.label == "PERSON"
                or (entity.id in speakers and len(entity.mentions) <= len(parts)))
            for entity in record.entities)

    def _known_name(self, surface: str, n_words: int, opens: bool, seen: list[_Identity]) -> _Identity | None:
        key = name_key(surface)
        if n_words > 1:
            hit = self.by_key.get(("*", key))
            return hit if hit is not None and (not hit.people or is_full_form(surface)) else None
        if opens or (key in self.common and not is_acronym(surface)) or len(key) < 3:
            return None
        for kind in self.kinds:
            hit = self.by_key.get((kind, key))
            if hit is not None and kind != "PERSON" and not hit.people and sum(hit.labels.values()) >= 2:
                return hit
        # the short form of a thing this article's context points to ("Promises" for "Promises Treatment Center")
        cands = [c for c in dict.fromkeys(self.by_token.get(("tail", key), []) + self.by_token.get(("head", key), []))
                 if c.kind != "PERSON" and not c.people]
        if not cands or not seen:
            return None
        here = [c for c in cands if c in seen]
        return here[0] if len(here) == 1 else self._by_context(cands, seen)

    def rename(self, record: Record) -> None:
        """Give each linked entity its identity's name and label as they stand now (they change as a run grows)."""
        for entity in record.entities:
            identity = self.by_id.get(entity.id or "")
            if identity is not None:
                entity.name = self._name(identity)
                label = identity.label
                if "PERSON" in (label, entity.label):
                    # one label per identity where it matters most: a person is not also an organisation or a
                    # place, nor these a person; other kinds keep the article's label (a country is a team on
                    # a sports page)
                    entity.label = label

    @staticmethod
    def _name(identity: _Identity) -> str:
        """A person: the proper full name written most often ("Donald Trump", not "Trump"); anything else: the
        name written most often ("Democrats", not the rarer "Virginia Democrats"; "FBI"), even where the model once
        tagged one of its names a person ("House", not "Trump White House"), unless a real person is named in it."""
        form, other = identity.best_form, identity.best_surface
        if form is None or (other is not None and identity.label != "PERSON" and not _named_person(identity)
                            and identity.surfaces[other] > identity.forms[form]):
            return other or form or identity.name
        return form

    # ------------------------------------------------------------------ counting
    def _count(self, record: Record, seen: list[_Identity]) -> None:
        text = record.text
        for entity in record.entities:
            identity = self.by_id[entity.id]  # type: ignore[index]
            for start, end in entity.mentions:
                surface = text[start:end] if 0 <= start < end <= len(text) else ""
                if not surface or surface.startswith("@") or "\n" in surface:
                    continue
                if is_full_form(surface):
                    identity.forms[surface] += 1
                    best = identity.best_form
                    if best is None or (identity.forms[surface], surface) > (identity.forms[best], best):
                        identity.best_form = surface
                else:
                    identity.surfaces[surface] += 1
                    best = identity.best_surface
                    if best is None or (identity.surfaces[surface], surface) > (identity.surfaces[best], best):
                        identity.best_surface = surface
        labels: dict[str, Counter[str]] = {}
        for entity in record.entities:
            labels.setdefault(entity.id, Counter())[entity.label] += len(entity.mentions) or 1  # type: ignore[index]
        for identity in seen:
            votes = labels[identity.id]
            if identity.kind != "PERSON" and not identity.people and len(votes) > 1:
                votes.pop("PERSON", None)  # a thing no one was named in full as: "Jaguars" tagged PERSON is the team
            identity.labels[votes.most_common(1)[0][0]] += 1
            ctx = identity.context
            for other in seen:
                if other is not identity:
                    ctx[other.id] += 1
            if len(ctx) > 2 * self.context_size:
                identity.context = Counter(dict(ctx.most_common(self.context_size)))

    # ------------------------------------------------------------------ matching
    def _surface_keys(self, entity: Entity, text: str) -> set[str]:
        keys = {name_key(entity.name)}
        for start, end in entity.mentions:
            if 0 <= start < end <= len(text):
                keys.add(name_key(text[start:end]).lstrip("@"))
        if entity.label != "PERSON":  # the aliases are of organisations and places ("USA" in a person's name is none)
            keys |= {self.aliases[k] for k in list(keys) if k in self.aliases}
        if entity.label == "ORG":  # "Microsoft Corp." is Microsoft
            keys |= {m.group(1) for k in list(keys) if (m := _COMPANY.match(k))}
        if entity.label != "PERSON":  # "Mt Cook" is Mount Cook
            keys |= {self.abbreviations[head.rstrip(".")] + " " + rest for k in list(keys) if " " in k
                     for head, rest in [k.split(" ", 1)] if head.rstrip(".") in self.abbreviations}
        if entity.label == "PERSON":
            # a person is found by a lone surname only through `_person`: several people share one
            keys = {k for k in keys if len(name_tokens(k)) > 1} or ({name_key(entity.name)} - {""})
        return {k for k in keys if k}

    def _resolve(self, entity: Entity, text: str, seen: list[_Identity], around: list[_Identity] | None = None
                 ) -> _Identity:
        kind = kind_of(entity.label)
        if kind == "PERSON" and len(words := name_tokens(entity.name)) > 1 and words[-1] in FACILITY_WORDS:
            kind = "ORG"  # no person's name ends in "Center" or "Department": the tagger's slip ("Betty Ford Center")
        keys = self._surface_keys(entity, text)
        # a person is compared by the full name the article writes most ("Hillary Clinton"), not by its longest
        # mention ("Crooked Hillary Clinton")
        name = _representative(entity, text) if kind == "PERSON" else entity.name
        tokens = name_tokens(name)
        parts = person_name(name) if kind == "PERSON" else None
        found = self._match(kind, entity.name, tokens, keys, parts, seen, around or [])
        if found is None:
            canonical = self.aliases.get(name_key(entity.name), entity.name)
            found = _Identity(id=stable_id("E", kind, canonical), kind=kind, name=entity.name, tokens=tokens)
            if found.id in self.by_id:  # the same name under a lone-surname identity: keep ids apart
                found.id = stable_id("E", kind, canonical, str(len(self.identities)))
            self.identities.append(found)
            self.by_id[found.id] = found
            if kind not in self.kinds:
                self.kinds.append(kind)
            self._block(kind, name_key(entity.name), found)
        elif kind == "PERSON" and len(tokens) > len(found.tokens):
            found.name, found.tokens = entity.name, tokens  # a lone surname seen first gets its full name
        self._register(found, keys, tokens, parts)
        return found

    def _match(self, kind: str, name: str, tokens: list[str], keys: set[str], parts: PersonName | None,
               seen: list[_Identity], around: list[_Identity] | None = None) -> _Identity | None:
        if kind == "PERSON" and parts is not None and parts.first is None:
            hit = self._person(parts, seen)  # a lone surname: by the people of that surname first
            if hit is not None:
                return hit
        if kind == "ORG" and len(tokens) == 1 and not is_acronym(name):
            # a lone word tagged ORG that is a person's surname ("Trump" in a headline): the person, when the
            # run has seen that word as the person's more often than as an organisation's
            person = self._person(PersonName(None, (), tokens[0], ()), seen)
            # a common word ("House") is the surname only of a person with a known first name (no "Trump White House")
            if person is not None and _named_person(person, by_vote=tokens[0] not in self.common):
                org = self.by_key.get((kind, name_key(name)))
                if org is None or person.surfaces[name] > sum(org.labels.values()):
                    return person
        if kind not in ("PERSON", "ORG") and len(tokens) == 1 and not is_acronym(name) and tokens[0] not in self.common:
            # a lone word tagged as a place or a nationality that is a person's surname ("Lohan" tagged GPE): the
            # person, when this article's other entities point to them; never by the word alone
            cands = [c for c in self.by_token.get(("last", tokens[0]), []) if c.people]
            hit = self._by_context(cands, seen) if cands and seen else None
            if hit is not None:
                return hit
        if kind != "PERSON" and len(tokens) > 2:
            # a nationality or a party before a known person's full name, tagged as a thing ("American Hasim Rahman"
            # tagged ORG): that person. Any other word is no part of a name ("Schiff Replay More Videos", a page's
            # links run together; "Sleepy Joe Biden", a taunt), nor is a name that opens on no first name ("Republican
            # Freedom Caucus" is no person's, whatever label an article gave "Freedom Caucus")
            lead, _, rest = name.partition(" ")  # no space in "Jean-Paul-Okonjo", three tokens though
            who = person_name(rest) if rest and is_full_form(rest) and _GROUP_WORD.fullmatch(lead) else None
            if who is not None and who.first not in FIRST_NAMES:
                who = None
            hit = self.by_key.get(("*", name_key(rest))) if who is not None else None
            if hit is None and who is not None and who.first is not None:
                hit = self._person(who, seen)  # or the person seen so far by surname alone ("Rahman")
            if hit is not None and (hit.kind == "PERSON" or hit.people):
                return hit
        if kind != "PERSON" and len(tokens) == 2 and not is_acronym(name):
            # a first name and a known person's surname tagged as a place or a thing ("Maurice Cheeks" tagged GPE):
            # that person, when the first names agree; never a name the run holds as a thing already
            who = person_name(name)
            if who is not None and who.first is not None and who.first in FIRST_NAMES \
                    and ("*", name_key(name)) not in self.by_key:
                hit = self._person(who, seen)
                if hit is not None and hit.people:
                    return hit
        if kind != "PERSON" and len(tokens) == 1 and not is_acronym(name):
            hit = self._tail(kind, tokens[0], self.by_key.get((kind, name_key(name))), seen)
            if hit is not None:
                return hit
        if kind == "PERSON" and len(tokens) == 1 and not self.by_token.get(("last", tokens[0])):
            # a person-labelled lone word no person bears as surname ("Jaguars") is a thing's short form when other
            # articles wrote it alone for that thing (not "Koch" beside "Heckler & Koch": a surname, maybe)
            hit = self._tail(kind, tokens[0], None, seen)
            if hit is not None and (hit.surfaces[name] > 0 or (self._plural(tokens[0]) and hit in seen)):
                return hit
        for key in sorted(keys, key=lambda k: (" " not in k, k)):  # full names before lone words
            hit = self.by_key.get((_space(kind, key), key))
            if hit is not None and self._compatible(hit, parts):
                if hit.people and " " not in key:
                    continue
                return hit
        if kind == "PERSON" and parts is not None and parts.first is not None:
            hit = self._person(parts, seen)
            if hit is not None:
                return hit
        if kind != "PERSON":
            # the same facility or office with its generic last words varied or dropped ("Betty Ford Center",
            # "Betty Ford Treatment Center"; "Oakdale Police", "Oakdale Police Department"), of any kind but a person
            for key in sorted(keys):
                core = facility_core(key)
                hit = self.by_key.get(("\x02", core)) if core else None
                if hit is not None and not hit.people:
                    return hit
        if kind != "PERSON" and parts is None and len(tokens) > 1:
            hit = self._qualified(kind, name, seen)  # after every key of its own: "Supreme Court" is itself
            if hit is not None:
                return hit
            hit = self._widened(kind, tokens, list(dict.fromkeys([*seen, *(around or [])])))
            if hit is not None:
                return hit
        if len(tokens) == 1 and (parts is None or not self.by_token.get(("last", parts.last))):
            # a lone word the model labelled otherwise elsewhere ("Colts" as ORG here, PERSON there): the one
            # thing of that name most articles have named, if it is no person named in full
            key = name_key(name)
            hits = [h for other in self.kinds if other != kind
                    and (h := self.by_key.get((other, key))) is not None and not h.people]
            if hits:
                return max(hits, key=lambda h: sum(h.labels.values()))
        for key in sorted(keys):  # a handle that spells a known name ("AlinejadMasih")
            hit = self.by_key.get(("\x01", key.replace("_", "")))
            if hit is not None and " " not in key:
                return hit
        if kind == "ORG" and is_acronym(name):
            hit = self.by_key.get((kind, "\x00" + name.replace(".", "").lower()))
            if hit is not None:
                return hit
        key = name_key(name)
        if kind != "PERSON" and len(key) >= 5:
            # near matches for names of things only: two people's names a letter apart are two people
            # ("William Barr", "William Barber")
            hit = self._near(kind, key)
            if hit is not None:
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

    def _person(self, parts: PersonName, seen: list[_Identity]) -> _Identity | None:
        if parts.first is None:
            # a lone surname: the one person of that surname, or the one this article's other entities point to
            cands = [c for c in self.by_token.get(("last", parts.last), []) if c.people]
            if len(cands) == 1:
                return cands[0]
            if not cands or not seen:
                return None
            return self._by_context(cands, seen)
        cands = [c for c in self.by_token.get(("fl", parts.first[:1] + " " + parts.last), [])
                 if self._compatible(c, parts)]
        if len(cands) > 1:  # several fit ("Donald Trump" beside Donald J. Trump and ...): the most mentioned
            return max(cands, key=lambda c: sum(c.forms.values()))
        if cands:
            return cands[0]
        # the first full name of a surname seen alone before ("Okafor", then "Chidi Okafor")
        lone = [c for c in self.by_token.get(("lone", parts.last), []) if not c.people]
        return lone[0] if len(lone) == 1 and not self.by_token.get(("last", parts.last)) else None

    def _tail(self, kind: str, word: str, lone: _Identity | None, seen: list[_Identity]) -> _Identity | None:
        """A lone word that ends the names of things seen before ("Saints", "New Orleans Saints"): the one whose
        articles share this article's other entities, clearly more than any other's (a lone word's own
        identity included); never by the word alone."""
        # only a last word: "Microsoft" is no short form of "Microsoft Security Bulletin", "Saints" is of
        # "New Orleans Saints"; or a first word before common words only ("Mediterranean", "Mediterranean Sea")
        # a place's name is no short form of an organisation's ("Athens", "University of Athens"; "Palmer", "Palmer
        # Police"), and a first word is one only of a thing of its own kind (or of a word mislabelled a person)
        if word in self.common:
            return None  # "House" is no short form of "White House", whatever the context ("Court", "State")
        cands = [c for c in self.by_token.get(("tail", word), []) if kind != "PLACE" or c.kind == "PLACE"]
        cands += [c for c in self.by_token.get(("head", word), []) if c.kind == kind or kind == "PERSON"]
        cands = [c for c in dict.fromkeys(cands) if c.kind != "PERSON" and not c.people]
        if not cands or not seen:
            return None
        here = list(dict.fromkeys(c for c in cands if c in seen))
        if kind != "NORP" and len(here) == 1 and word not in self.common:
            return here[0]  # "Saints" beside "New Orleans Saints" in the same article
        if lone is not None and lone not in cands:
            cands.append(lone)
        best = self._by_context(cands, seen)
        return best if best is not lone else None

    def _widened(self, kind: str, tokens: list[str], seen: list[_Identity]) -> _Identity | None:
        """The first full name of a thing seen before only by its last word ("Chargers", then "San Diego Chargers"),
        when this article shares that word's context: the thing's short form had come first. Never a common word
        ("House", "White House"), a group ("Democrats", "Virginia Democrats") or a place ("Virginia", "West Virginia";
        "Philadelphia", "Northeast Philadelphia")."""
        last = tokens[-1]
        if kind in ("NORP", "PLACE") or last in self.common or not seen:
            return None
        lone = self.by_key.get((kind, last))
        if lone is None or lone.people or len(lone.tokens) != 1 or lone.kind != kind or ("tail", last) in lone.slots:
            return None
        return lone if lone in seen or self._by_context([lone], seen) is lone else None

    def _plural(self, word: str) -> bool:
        """The plural of an English word that is no first name ("jaguars", "chiefs"; not "williams", "edwards")."""
        if not word.endswith("s") or len(word) < 4:
            return False
        singulars = {word[:-1], word[:-2]} if word.endswith("es") else {word[:-1]}
        return any(s in self.words for s in singulars) and not singulars & FIRST_NAMES

    def _is_place(self, word: str) -> bool:
        return ("PLACE", word) in self.by_key or ("PLACE", self.aliases.get(word, "")) in self.by_key

    def _qualified(self, kind: str, name: str, seen: list[_Identity]) -> _Identity | None:
        """A name that differs from a thing's name by a place before it ("U.S. Surgeon General", "Surgeon
        General"), in either order: that thing, when this article names it too or shares its context."""
        key = name_key(name)
        rest = _unqualified(key)
        cands = []
        if rest is not None and self._is_place(key.split(" ", 1)[0]):
            hit = self.by_key.get((_space(kind, rest), rest))
            if hit is not None and not hit.people:
                cands.append(hit)
        cands += [c for c in self.by_token.get(("core", key), []) if not c.people and c not in cands]
        if not cands or not seen:
            return None
        here = [c for c in cands if c in seen]
        if len(here) == 1:
            return here[0]
        return self._by_context(cands, seen)

    def _by_context(self, cands: list[_Identity], seen: list[_Identity]) -> _Identity | None:
        """The candidate whose articles named this article's other entities most: at least `context_min` of
        them, and twice as many as the next."""
        ids = [s.id for s in seen]
        scores = sorted(((sum(c.context[i] for i in ids), -n, c) for n, c in enumerate(cands)),
                        key=lambda x: x[:2], reverse=True)
        top = scores[0][0]
        second = scores[1][0] if len(scores) > 1 else 0
        return scores[0][2] if top >= self.context_min and top >= 2 * second else None

    @staticmethod
    def _compatible(identity: _Identity, parts: PersonName | None) -> bool:
        """A person's name agrees with every full name the identity was given of the same surname."""
        if parts is None or parts.first is None or not identity.people:
            return True
        same = [PersonName(*p) for p in identity.people if p[2] == parts.last]
        if not same:
            return False
        return all(same_person_name(p, parts) for p in same)

    def _register(self, identity: _Identity, keys: set[str], tokens: list[str], parts: PersonName | None) -> None:
        lone_person = parts is not None and parts.first is None
        for key in keys:
            if (lone_person or " " not in key) and identity.people:
                continue  # a surname alone finds a person named in full only through `_person`, never by key
            self.by_key.setdefault((_space(identity.kind, key), key), identity)
        if not identity.people and parts is None:
            for key in keys:
                core = facility_core(key)
                if core:
                    self.by_key.setdefault(("\x02", core), identity)
        if identity.kind == "ORG":
            for key in keys:
                if not is_acronym(key.upper()) and len(name_tokens(key)) > 1:
                    self.by_key.setdefault((identity.kind, "\x00" + initials(key)), identity)
                elif is_acronym(key.upper()) and " " not in key:
                    self.by_key.setdefault((identity.kind, "\x00" + key.replace(".", "")), identity)
        if identity.kind != "PERSON" and len(tokens) > 1 and parts is None:
            self._file(identity, ("tail", tokens[-1]))
            if all(t in self.common for t in tokens[1:]) and tokens[0] not in self.common:
                self._file(identity, ("head", tokens[0]))
            for key in keys:
                rest = _unqualified(key)
                if rest is not None and self._is_place(key.split(" ", 1)[0]):
                    self._file(identity, ("core", rest))
        if parts is not None and parts.first is not None:
            identity.people.add(astuple(parts))
            for spelled in ("".join(tokens), "".join(reversed(tokens))):
                self.by_key.setdefault(("\x01", spelled.replace("-", "").replace("'", "")), identity)
            self._file(identity, ("last", parts.last))
            if " " in parts.last:  # "Blasio" alone finds Bill de Blasio
                self._file(identity, ("last", parts.last.rsplit(" ", 1)[1]))
            self._file(identity, ("fl", parts.first[:1] + " " + parts.last))
        elif parts is not None and identity.kind == "PERSON" and not identity.people and not self.by_token.get(
                ("last", parts.last)):
            self._file(identity, ("lone", parts.last))  # a surname no one has been named in full with, yet

    def _file(self, identity: _Identity, slot: tuple[str, str]) -> None:
        # a set on the identity says whether it is in the bucket; a bucket keeps its newest `bucket_size`
        # identities, so that a common surname or last word costs the same at any size of run
        if slot not in identity.slots:
            identity.slots.add(slot)
            bucket = self.by_token.setdefault(slot, [])
            bucket.append(identity)
            if len(bucket) > self.bucket_size:
                bucket.pop(0).slots.discard(slot)


# the shape of a nationality's or a party's word before a name: "American", "Nigerian", "Chinese", "British",
# "Iraqi", "Democratic"
_GROUP_WORD = re.compile(r"[A-Z][a-z]+(?:an|ese|ish|i|ic)")
_COMPANY = re.compile(r"^(.+?),?\s+(?:" + "|".join(sorted(COMPANY_FORMS)) + r")\.?$")


# a capitalised word or acronym as a name's word ("Internet", "TMZ", "MS08-078"); an apostrophe ends it
_CAPITAL_WORD = re.compile(r"(?<![\w'\u2019@#.-])[A-Z][A-Za-z0-9&-]*[A-Za-z0-9]")


def _shouting(text: str, at: int) -> bool:
    """The line around `at` is mostly capital letters."""
    start, end = text.rfind("\n", 0, at) + 1, text.find("\n", at)
    line = text[start:end if end >= 0 else len(text)]
    letters = sum(1 for c in line if c.isalpha())
    return letters > 3 and sum(1 for c in line if c.isupper()) > 0.6 * letters


def _opens_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 4):start]
    return start == 0 or "\n" in before or bool(re.search(r"[.!?:\"\u201c\u201d'(]\s*$", before))


def _overlapping(taken: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The spans of `taken` (sorted) that overlap start..end."""
    i = bisect.bisect_left(taken, (start, start))
    found = [taken[i - 1]] if i > 0 and taken[i - 1][1] > start else []
    while i < len(taken) and taken[i][0] < end:
        found.append(taken[i])
        i += 1
    return found


def _unqualified(key: str) -> str | None:
    """The name after its first word, when two or more words are left ("u.s. surgeon general" -> "surgeon general")."""
    parts = key.split(" ", 1)
    return parts[1] if len(parts) == 2 and " " in parts[1] else None


def _named_person(identity: _Identity, by_vote: bool = True) -> bool:
    """A real person's full name is among the identity's names: one opening with a known first name, or (`by_vote`)
    one that two or more articles call a person ("Kirstjen Nielsen", tagged GPE in most); a "Trump White House" the
    model tagged PERSON once is a thing's name."""
    return bool(identity.people) and (any(p[0] in FIRST_NAMES for p in identity.people)
                                      or by_vote and identity.labels["PERSON"] >= 2)


def _space(kind: str, key: str) -> str:
    """The key space of a name: every kind shares names of two or more words, so that "Donald Trump" tagged
    ORG in a headline is the person (the label is then voted); a lone word ("Ford") stays in its kind's."""
    return "*" if " " in key else kind


def _representative(entity: Entity, text: str) -> str:
    """The proper full name an article writes most often for an entity (the longer among equals), else its name."""
    counts: Counter[str] = Counter()
    for start, end in entity.mentions:
        surface = " ".join(text[start:end].split()) if 0 <= start < end <= len(text) else ""
        if surface and is_full_form(surface):
            counts[surface] += 1
    if not counts:
        return entity.name
    return max(counts.items(), key=lambda kv: (kv[1], len(name_tokens(kv[0])), len(kv[0]), kv[0]))[0]
