"""Entities: spaCy's named entities, cleaned, merged per article (short forms, handles), with roles.

One `Entity` per real-world entity of the article: "Masih" and "Alinejad" join "Masih Alinejad",
"@AlinejadMasih" joins the name it stands beside, every mention of a name gets the label most of its
mentions got, and names the model found once are also found where it missed them. Roles come from
pre-modifiers ("Iranian journalist and activist Masih Alinejad"), appositions ("Mohammad Naeem, the
spokesman for ...") and copulas ("Karimi was the first woman to be appointed as ...").
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..data import load_table
from ..records import Entity
from .component import Extractor

Doc.set_extension("entities", default=None, force=True)

# the contract's labels; spaCy's numeric and temporal labels are dates/amounts, not entities
LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE")
LOCAL_ID_PREFIX = "local:"

_LEADING = re.compile(r"^(?:the|The|THE|a|an)\s+")
_TRAILING = re.compile(r"(?:\s*['\u2019]s?|[\s,;:!?\"\u201c\u201d\u2018\u2019()\[\]-]+)$")
_TRAILING_NUMBER = re.compile(r"(?<=[^\W\d_])(?:\s+[-+(]?\d[\d.,:/()-]*)+$")
_TRAILING_FUNCTION_WORD = re.compile(r"\s+(?:of|a|an|the|and|for|to|in|on|at|by|with)$")
_HANDLE = re.compile(r"(?<![\w@/])@(\w{2,30})\b")
_PLAIN_WORD = re.compile(r"\w+")
_WORD = re.compile(r"[^\W_]+(?:[-'\u2019.][^\W_]+)*\.?", re.UNICODE)
_ACRONYM_STOP = {"of", "the", "and", "for", "&", "de", "du", "la", "le", "des", "on", "in"}
# Between a display name and "(@handle)": nothing but spaces, emoji and symbols.
_NAME_TO_HANDLE_GAP = 12
# Labels of a name that can be a short form of a person's name ("Masih" tagged GPE beside
# "Masih Alinejad"); a place named after a person keeps its label only when never tagged PERSON.
_SHORT_FORM_LABELS = {"PERSON", "GPE", "ORG", "NORP", "LOC", "FAC", "PRODUCT", "WORK_OF_ART", "LAW", "EVENT"}
# ... but a place the model tags as one more than once keeps its label unless also tagged PERSON
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_ROLE_POS = {"ADJ", "NOUN", "PROPN"}
_ROLE_LINK = {"and", "&", "-", "former", "then", "now", "deputy", "acting"}


@Language.factory("newsgraph_entities", requires=["doc.ents"], assigns=["doc._.entities"],
                  default_config={"labels": list(LABELS), "label_table": "entity_labels.tsv",
                                  "role_nouns": "role_nouns.tsv", "propagate": True, "max_role_tokens": 20,
                                  "propagate_surnames": True, "repeated_names": True})
def make_entity_extractor(nlp: Language, name: str, labels: list[str], label_table: str, role_nouns: str,
                          propagate: bool, max_role_tokens: int, propagate_surnames: bool = True,
                          speaker_words: str = "speaker_words.tsv", repeated_names: bool = True,
                          word_table: str = "word_freq.tsv", common_zipf: float = 4.5) -> EntityExtractor:
    fixed = {row["name"].casefold(): row["label"] for row in load_table(label_table)}
    nouns = {row["word"].casefold() for row in load_table(role_nouns)}
    inverted = {row["word"] for row in load_table(speaker_words) if row["kind"] == "inverted_cue"}
    common = {row["word"] for row in load_table(word_table) if float(row["zipf"]) >= common_zipf} if repeated_names \
        else set()
    return EntityExtractor(labels, fixed_labels=fixed, role_nouns=nouns, propagate=propagate,
                           max_role_tokens=max_role_tokens, propagate_surnames=propagate_surnames,
                           inverted_cues=inverted, repeated_names=repeated_names, common_words=common)


@lru_cache(maxsize=1 << 16)  # linking asks for the same names again and again, across articles
def name_key(name: str) -> str:
    """The comparison form of a name: NFKC, casefolded, straight apostrophes, single spaces."""
    name = unicodedata.normalize("NFKC", name).replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(name.casefold().split())


def name_tokens(name: str) -> list[str]:
    return [t.rstrip(".") for t in _WORD.findall(name_key(name))]


def initials(name: str) -> str:
    return "".join(t[0] for t in name_tokens(name) if t not in _ACRONYM_STOP)


def is_acronym(name: str) -> bool:
    letters = name.replace(".", "")
    return 2 <= len(letters) <= 8 and letters.isalpha() and letters.isupper()


_NAME_PARTS = {row["word"]: row["kind"] for row in load_table("name_parts.tsv")}
# a style is a title a person is called by ("Pope Francis", "King Salman"): dropped to compare names, kept in
# the full form a reader uses
_STYLES = {w for w, kind in _NAME_PARTS.items() if kind == "style"}
_TITLES = {w for w, kind in _NAME_PARTS.items() if kind == "title"} | _STYLES
_SUFFIXES = {w for w, kind in _NAME_PARTS.items() if kind == "suffix"}
_HEADLINE_WORDS = {w for w, kind in _NAME_PARTS.items() if kind == "headline"}
_FURNITURE_WORDS = {w for w, kind in _NAME_PARTS.items() if kind == "furniture"}
# a page's link, button and label words: a role never starts with one ("CLOSE President Trump")
_PAGE_WORDS = _FURNITURE_WORDS | {w for w, kind in _NAME_PARTS.items() if kind == "page"}
_DASHES = {"-", "\u2013", "\u2014", "--"}
# two words run together ("GabbardYang", "TrumpGOP"), unless the first part is a surname's prefix ("MacArthur")
_RUN_TOGETHER = re.compile(r"\b([A-Z][a-z]{2,})(?=[A-Z])")
_RUN_INTO_WORD = re.compile(r"[a-z](?:The|And|Of|For|To|In|On|At)\b")
_JOIN_PREFIXES = {w for w, kind in _NAME_PARTS.items() if kind == "prefix"}
_PARTICLES = _JOIN_PREFIXES | {w for w, kind in _NAME_PARTS.items() if kind == "particle"}
COMPANY_FORMS = frozenset(w for w, kind in _NAME_PARTS.items() if kind == "company")
FACILITY_WORDS = frozenset(w for w, kind in _NAME_PARTS.items() if kind == "facility")
# a role noun before a name of two more words is a title ("Coroner Gary Hargrove"); before one, maybe a first
# name ("Baker Mayfield")
_ROLE_TITLES = frozenset(row["word"].casefold() for row in load_table("role_nouns.tsv"))
FIRST_NAMES = frozenset(row["name"] for row in load_table("first_names.tsv"))
# the last word of a thing's name ("Trump White House", "Trump Tower"), and share buttons ("Facebook Twitter Pinterest")
_THING_WORDS = {w for w, kind in _NAME_PARTS.items() if kind in ("thing", "facility")}
_SHARE_WORDS = {w for w, kind in _NAME_PARTS.items() if kind == "share"}
# the words of a name that are not the name itself (a run holding one is no untagged name: "Attorney General")
_NOT_NAME_WORDS = {w for w, kind in _NAME_PARTS.items() if kind not in ("thing", "facility", "share")}


# lowercase words that may stand inside a proper name ("Bank of America", "Mohammed bin Salman")
_NAME_LINKS = {"of", "the", "and", "for", "de", "du", "da", "la", "le", "des", "von", "van", "der", "bin", "al", "y"}


@dataclass(frozen=True)
class PersonName:
    """A person's name in parts: "Sen. George H.W. Bush Jr." -> george, (h.w,), bush, (jr,)."""

    first: str | None  # None for a lone name ("Bush")
    middles: tuple[str, ...]
    last: str
    suffix: tuple[str, ...]


def person_name(name: str) -> PersonName | None:
    """The parts of a person's name, titles dropped; None when nothing but titles is left."""
    toks = name_tokens(name)
    while toks and (toks[0] in _TITLES or (len(toks) > 2 and toks[0] in _ROLE_TITLES)):
        toks = toks[1:]
    suffix: list[str] = []
    while len(toks) > 1 and toks[-1] in _SUFFIXES:
        suffix.insert(0, toks.pop())
    if not toks:
        return None
    # a surname's particles belong to it: "Bill de Blasio" -> de blasio; "De Blasio" alone is a surname
    cut = len(toks) - 1
    while cut > 0 and toks[cut - 1] in _PARTICLES:
        cut -= 1
    if cut == 0 and len(toks) > 1 and len(toks) - 1 > 1:
        cut = 1  # "Van Der Beek": a first name, then the surname
    last = " ".join(toks[cut:])
    if cut == 0:
        return PersonName(None, (), last, tuple(suffix))
    first, middles = toks[0], list(toks[1:cut])
    if len(first.replace(".", "")) == 1 and middles and len(middles[0].replace(".", "")) > 1:
        first, middles = middles[0], [first, *middles[1:]]  # "J. Roy Robinson" goes by Roy
    return PersonName(first, tuple(middles), last, tuple(suffix))


def _initial_of(a: str, b: str) -> bool:
    """"j" and "john": the same first name, or one is the other's initial. A familiar form ("Bill", William) or
    a spelling a letter apart is another first name: two people, as the issue's identity check counts them."""
    a, b = a.replace(".", ""), b.replace(".", "")
    return a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def _initials(middles: tuple[str, ...]) -> str:
    """"h.w" -> "hw", "walker" -> "w": middle names compared by their initials."""
    parts = [m.replace(".", "") for m in middles]
    return "".join(p if len(p) <= 2 and p.isalpha() and "." in m else p[:1] for p, m in zip(parts, middles, strict=True))


def same_person_name(a: PersonName, b: PersonName) -> bool:
    """Two full names that may be one person: same surname and suffix, first names and middle initials agree.

    Donald Trump / Donald Trump Jr. (suffix), George W. Bush / George H.W. Bush (middle initials) and
    Kim Jong Un / Kim Schrier (surname) are never the same person; Donald Trump / Donald J. Trump may be.
    Larry Hogan / Larry Hogan Sr. are two (a father and his son), as are Fred Lund / Frederick Lund.
    """
    if a.last != b.last or a.suffix != b.suffix:
        return False
    if a.first is None or b.first is None:
        return True
    if not _initial_of(a.first, b.first):
        return False
    if a.middles and b.middles:
        return _initials(a.middles) == _initials(b.middles)
    return True


def is_junk_name(name: str, label: str = "PERSON") -> bool:
    """A span no reader would call a name: a word repeated ("Joe Biden Joe Biden"), two words run together
    ("Tulsi GabbardYang", scraped tag lists) or a headline's capitalised verb inside ("Mayor Says No To Plan")."""
    words = [w.casefold().strip(".,") for w in name.split()]
    named = [w for w in words if len(w) > 1 and w not in _NAME_LINKS]
    if len(set(named)) < len(named):
        return True
    if label == "PERSON" and any(m.group(1).casefold() not in _JOIN_PREFIXES for m in _RUN_TOGETHER.finditer(name)):
        return True  # an organisation may be written so ("BlackRock"), a person's name not
    if _RUN_INTO_WORD.search(name):
        return True
    if sum(1 for w in words if w in _SHARE_WORDS) >= 2:
        return True  # a row of share buttons ("Facebook Twitter Pinterest"), whatever the model called it
    if label == "PERSON" and len(words) > 1 and any(w in _FURNITURE_WORDS for w in words):
        return True  # "Related Joe Biden", "Joe Biden Here": a link's words around a name
    return any(w in _HEADLINE_WORDS and raw[:1].isupper() for w, raw in zip(words[1:], name.split()[1:], strict=True))


def facility_core(key: str) -> str | None:
    """A name key without the generic words that end a facility's or an office's name ("betty ford treatment
    center" -> "betty ford", "oakdale police department" -> "oakdale police"), when two or more words are left;
    a lone word left ("Oakdale") may be the town itself."""
    words = key.split()
    while words and words[-1].rstrip(".") in FACILITY_WORDS:
        words.pop()
    return " ".join(words) if len(words) > 1 else None


def names_a_thing(name: str) -> bool:
    """A name of two or more words ending in a building's, an office's or a body's word ("Trump White House",
    "Trump Tower"), with no known first name opening it ("John Tower" is a person): no person's name."""
    toks = name_tokens(name)
    while toks and toks[0] in _TITLES:
        toks = toks[1:]
    return len(toks) > 1 and toks[-1] in _THING_WORDS and toks[0] not in FIRST_NAMES


def is_full_form(surface: str) -> bool:
    """A proper name of two or more capitalised words besides titles and suffixes ("Donald Trump", not "Trump")."""
    words = [w for w in surface.split() if w.casefold().strip(".") not in (_TITLES - _STYLES) | _SUFFIXES]
    words = [w for w in words if len(w.strip(".")) > 1 or w.endswith(".")]
    if sum(1 for w in words if w[:1].isupper()) < 2:  # "De Blasio" and "Bin Laden" are two; "de Blasio" one
        return False
    return all(w[:1].isupper() or w.casefold() in _NAME_LINKS for w in words)


@dataclass
class _Mention:
    start: int
    end: int
    name: str
    label: str
    span: Span | None  # the model's entity span; None for a propagated or handle mention


class EntityExtractor(Extractor):
    name = "newsgraph_entities"
    attr = "entities"

    def __init__(self, labels: list[str] | tuple[str, ...] = LABELS, fixed_labels: dict[str, str] | None = None,
                 role_nouns: set[str] | None = None, propagate: bool = True, max_role_tokens: int = 20,
                 propagate_surnames: bool = True, inverted_cues: set[str] | None = None,
                 repeated_names: bool = False, common_words: set[str] | None = None) -> None:
        self.labels = set(labels)
        self.repeated_names = repeated_names
        self.common_words = common_words or set()
        self.inverted_cues = inverted_cues or set()
        self.fixed_labels = fixed_labels or {}
        self.role_nouns = role_nouns or set()
        self.propagate = propagate
        self.propagate_surnames = propagate_surnames
        self.max_role_tokens = max_role_tokens

    # ------------------------------------------------------------------ find
    def find(self, doc: Doc) -> Iterator[Entity]:
        text = doc.text  # built on each access: read it once
        mentions = [m for ent in doc.ents if ent.label_ in self.labels for m in self._clean(ent, text)]
        if self.repeated_names:
            mentions += self._repeated(doc)
        for m in mentions:
            if m.label == "ORG" and self._titled_person(m):
                m.label = "PERSON"
        mentions = self._repaired(text, mentions)
        if self.propagate:
            mentions += self._propagated(doc, text, mentions)
        groups = self._group(mentions)
        entities = self._entities(groups)
        self._attach_handles(text, entities)
        self._attach_roles(doc, entities)
        entities.sort(key=lambda e: e.mentions[0])
        for i, entity in enumerate(entities):
            # a local id, for quotes to point at; link/identity.py swaps it for the run-wide one
            entity.id = f"{LOCAL_ID_PREFIX}{i}"
        return iter(entities)

    def _clean(self, ent: Span, doc_text: str) -> list[_Mention]:
        """The entity's name without "the", possessive, trailing numbers or a title; split at line breaks."""
        found = []
        start = ent.start_char
        for part in re.split(r"(\n+)", doc_text[ent.start_char:ent.end_char]):
            if part and not part.startswith("\n"):
                mention = self._clean_part(ent, doc_text, start, start + len(part))
                if mention is not None:
                    found.append(mention)
            start += len(part)
        return found

    def _clean_part(self, ent: Span, doc_text: str, start: int, end: int) -> _Mention | None:
        text = doc_text[start:end]
        lead = _LEADING.match(text)
        if lead and lead.end() < len(text):
            start += lead.end()
        if ent.label_ == "PERSON":
            # "Defender Hassan Abbas": a title the model took into the name
            title = re.match(r"^([A-Z][a-z]+)\s+(?=[A-Z])", doc_text[start:end])
            if title and title.group(1).casefold() in self.role_nouns:
                start += title.end()
            elif title and title.group(1).casefold() in self.inverted_cues and self._inverted(doc_text, start, end):
                start += title.end()  # 'Said Ellis: "..."': the cue put first, not a first name
        while True:
            trail = (_TRAILING.search(doc_text, start, end) or _TRAILING_NUMBER.search(doc_text, start, end)
                     or _TRAILING_FUNCTION_WORD.search(doc_text, start, end))
            if not trail or trail.start() <= start or trail.start() == end:
                break
            end = trail.start()
        if ent.label_ == "PERSON":
            # "Mick Mulvaney Photographer" (a picture credit): a capitalised role noun after the name is no part of it
            last = re.search(r"\s+([A-Z][a-z]+)$", doc_text[start:end])
            if last and last.group(1).casefold() in self.role_nouns and len(doc_text[start:end].split()) > 2:
                end = start + last.start()
        name = " ".join(doc_text[start:end].split())
        if not name or not any(c.isupper() for c in name) or "/" in name or name.lower().startswith("http"):
            return None
        if is_junk_name(name, self.fixed_labels.get(name.casefold(), ent.label_)):
            return None
        words = name.split()
        if len(words) > 1 and all(len(w) <= 2 for w in words):
            return None  # a table header ("W L T"), not a name
        label = self.fixed_labels.get(name.casefold(), ent.label_)
        if label == "PERSON" and names_a_thing(name):
            label = "ORG"  # "the Trump White House" tagged PERSON: "Trump" is then no short form of it
        return _Mention(start, end, name, label, ent)

    @staticmethod
    def _repaired(text: str, mentions: list[_Mention]) -> list[_Mention]:
        """Spans that run two names together, mended by the names the article writes alone.

        "Nixon W. Mark Felt" or "American Hasim Rahman" (one word before a person's name the article also writes
        alone) is that person's name; "Lopez and Carrasquillo" (two people the article also names) is two mentions.
        """
        people = {m.name for m in mentions if m.label == "PERSON" and m.span is not None and len(m.name.split()) > 1}
        if not people:
            return mentions
        surnames = {name_key(p.split()[-1]) for p in people if len(p.split()[-1]) > 2}
        known = dict.fromkeys(surnames, "PERSON")
        known.update({name_key(m.name): m.label for m in mentions if m.span is not None and " and " not in m.name})
        out = []
        for m in mentions:
            words = m.name.split()
            head = next((p for p in people if len(p.split()) < len(words) and words[:len(p.split())] == p.split()), None)
            if m.label == "PERSON" and head is not None and not all(
                    w.casefold().strip(".,") in _SUFFIXES for w in words[len(head.split()):]):
                # "Bernie Sanders Thinks Medicare" (a headline's words after a name the article writes alone): the name
                cut = re.match(r"\S+" + r"\s+\S+" * (len(head.split()) - 1), text[m.start:m.end])
                if cut:
                    m.end, m.name = m.start + cut.end(), head
                    words = head.split()
            # the word dropped is no first name ("Jose Ramos Horta") or abbreviation ("U.N."), and what is left is a
            # person's name, not a title ("General Assembly")
            if (m.label in ("PERSON", "ORG") and len(words) >= 3 and " ".join(words[1:]) in people
                    and words[0].casefold() not in FIRST_NAMES and not words[0].endswith(".") and words[1][:1].isupper()
                    and words[1].casefold().rstrip(".") not in _TITLES | _ROLE_TITLES):
                cut = re.match(r"\S+\s+", text[m.start:m.end])
                if cut:
                    m.start, m.name, m.label = m.start + cut.end(), " ".join(words[1:]), "PERSON"
            parts = re.fullmatch(r"(\S.*?)(\s+and\s+)(\S.*)", text[m.start:m.end])
            # "Lopez and Carrasquillo": each part a name the article writes alone, one of them a person's surname
            keys = [name_key(" ".join(p.split())) for p in parts.groups()[::2]] if parts else []
            if keys and all(k in known for k in keys) and any(k in surnames for k in keys):
                first, second = parts.group(1), parts.group(3)
                for (start, end), key in zip(((m.start, m.start + len(first)), (m.end - len(second), m.end)), keys,
                                             strict=True):
                    out.append(_Mention(start, end, " ".join(text[start:end].split()),
                                        "PERSON" if key in surnames else known[key], None))
                continue
            out.append(m)
        return out

    def _repeated(self, doc: Doc) -> list[_Mention]:
        """Proper names the model never tagged, which the article writes twice or more mid-sentence.

        The small model misses names it has not seen ("Internet Explorer", "Werder Bremen"); a run of two to
        four capitalised proper nouns that recurs in one article is a name. Not titles ("Attorney General"),
        headline lines, or runs of common words only ("Climate Change", "Privacy Policy").
        """
        runs: dict[str, list[Span]] = {}
        i, n = 0, len(doc)
        while i < n:
            j = i
            while j < n and self._bare_proper(doc[j]):
                j += 1
            if j - i >= 2:
                runs.setdefault(doc[i:j].text, []).append(doc[i:j])
            i = max(j, i + 1)
        found = []
        for name, spans in runs.items():
            words = [w.casefold() for w in name.split()]
            if not 2 <= len(words) <= 4 or all(w in self.common_words for w in words):
                continue
            if any(w in self.role_nouns or w in _NOT_NAME_WORDS or w.rstrip("s") in self.role_nouns for w in words):
                continue
            inside = [s for s in spans if not s[0].is_sent_start and not self._headline(s.sent)]
            if len(inside) < 2:
                continue
            label = self.fixed_labels.get(name.casefold(), "ORG")
            found += [_Mention(s.start_char, s.end_char, name, label, s) for s in spans]
        return found

    @staticmethod
    def _bare_proper(tok) -> bool:  # noqa: ANN001 - a spaCy Token
        return (tok.pos_ == "PROPN" and not tok.ent_type_ and tok.is_alpha and tok.text[:1].isupper()
                and not tok.is_upper)

    @staticmethod
    def _headline(sent: Span) -> bool:
        """A line in title case (its verbs, nouns and adjectives capitalised): capitals say nothing about names there."""
        words = [t for t in sent if t.is_alpha and t.pos_ in ("NOUN", "VERB", "ADJ") and not t.is_sent_start]
        return len(words) >= 2 and all(t.text[:1].isupper() for t in words)

    @staticmethod
    def _inverted(text: str, start: int, end: int) -> bool:
        """A name opening its sentence and ending at a colon or a quote: the frame of 'Said X: "..."'."""
        before = text[max(0, start - 3):start]
        opens = start == 0 or not before.strip() and "\n" in before or bool(re.search(r"[.!?\"\u201d]\s+$", before))
        return opens and bool(re.match(r"\s*(?::|,?\s*[\"\u201c])", text[end:end + 4]))

    def _propagated(self, doc: Doc, text: str, mentions: list[_Mention]) -> list[_Mention]:
        """Other occurrences of a name the model found, where it tagged nothing at all.

        The name as written, in capitals (a headline), and a person's surname alone.
        """
        names: dict[str, tuple[str, str]] = {}
        for m in mentions:
            if len(m.name) > 2 and m.name[0].isupper():
                names.setdefault(m.name, (m.name, m.label))
                if m.name.upper() != m.name:
                    names.setdefault(m.name.upper(), (m.name, m.label))
        if self.propagate_surnames:
            for m in mentions:
                parts = m.name.split()
                if m.label == "PERSON" and len(parts) > 1 and len(parts[-1]) > 3 and parts[-1][0].isupper():
                    names.setdefault(parts[-1], (parts[-1], "PERSON"))
        # a one-word name that the text also uses as a common word ("Will", "Hope") is not spread
        # (one pass over the text for all names: a regular expression per name was a tenth of the extractor's time)
        words = set(_PLAIN_WORD.findall(text))
        names = {k: v for k, v in names.items() if " " in k or not (
            k.lower() in words if _PLAIN_WORD.fullmatch(k) else re.search(rf"\b{re.escape(k.lower())}\b", text))}
        if not names:
            return []
        pattern = re.compile(r"(?<![\w@#])(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
                             + r")(?![\w])")
        # spans tagged by the model, or found by `_repeated` (no entity of the model's)
        taken = sorted({(e.start_char, e.end_char) for e in doc.ents}
                       | {(m.start, m.end) for m in mentions if m.span is not None and not m.span.label_})
        starts = [s for s, _ in taken]
        ends = [e for _, e in taken]
        found = []
        for match in pattern.finditer(text):
            s, e = match.span()
            i = bisect.bisect_left(ends, s + 1)  # the first entity ending after s
            if i < len(starts) and starts[i] < e:
                continue
            if doc.char_span(s, e) is None:
                continue
            name, label = names[match.group(0)]
            found.append(_Mention(s, e, name, label, None))
        return found

    def _group(self, mentions: list[_Mention]) -> list[list[_Mention]]:
        """Mentions grouped by name, then short forms of person names joined to their full form."""
        by_key: dict[str, list[_Mention]] = {}
        for m in sorted(mentions, key=lambda m: m.start):
            by_key.setdefault(name_key(m.name), []).append(m)
        label_of = {k: _majority(ms) for k, ms in by_key.items()}
        persons = [k for k, lab in label_of.items() if lab == "PERSON"]
        toks = {k: name_tokens(k) for k in by_key}
        # longer names first, so "Karimi" can join "Sahraa Karimi"
        merged_into: dict[str, str] = {}
        for key in sorted(by_key, key=lambda k: len(toks[k])):
            if not toks[key] or label_of[key] not in _SHORT_FORM_LABELS:
                continue
            if len(toks[key]) > 1 and label_of[key] != "PERSON":
                continue  # "White House" is no short form of "Trump White House": only a person's two-word name is
            fulls = [p for p in persons if p != key and len(toks[p]) > len(toks[key])
                     and _is_part(toks[key], toks[p])]
            n = len(toks[key])
            if any(toks[p][-n:] == toks[key] for p in fulls):
                # the surname of a person named here ("Trump" of "Donald Trump") is no short form of a longer name
                # it opens ("Trump Tower", "Biden Harris" tagged as a person)
                fulls = [p for p in fulls if toks[p][:n] != toks[key] or toks[p][-n:] == toks[key]]
            if not fulls:
                continue
            if label_of[key] in _PLACE_LABELS and not any(m.label == "PERSON" for m in by_key[key]):
                # a place named like a person ("Washington") stays a place, unless it is the first
                # name of a person in the article ("Masih," tagged GPE, beside "Masih Alinejad")
                fulls = [p for p in fulls if toks[p][:len(toks[key])] == toks[key]]
                if not fulls or len(by_key[key]) > 1:
                    continue
            if len(fulls) == 1:
                merged_into[key] = fulls[0]
            else:
                merged_into[key] = "\x00" + "\x00".join(fulls)  # ambiguous: nearest full mention decides
        groups: dict[str, list[_Mention]] = {k: list(ms) for k, ms in by_key.items() if k not in merged_into}
        for key, target in merged_into.items():
            if not target.startswith("\x00"):
                while target in merged_into and not merged_into[target].startswith("\x00"):
                    target = merged_into[target]
                groups.setdefault(target, []).extend(by_key[key])
                continue
            candidates = [t for t in target.split("\x00") if t and t in groups]
            for m in by_key[key]:
                before = [(max((x.start for x in groups[c] if x.start < m.start), default=-1), c) for c in candidates]
                best = max(before)[1] if max(before)[0] >= 0 else candidates[0]
                groups[best].append(m)
        # acronyms of organisations named in full in the same article ("UNHCR" beside its long form)
        longs = {initials(k): k for k, lab in label_of.items() if k in groups and lab == "ORG" and len(toks[k]) > 1}
        for key in list(groups):
            ms = groups[key]
            if _majority(ms) == "ORG" and is_acronym(ms[0].name):
                target = longs.get(key.replace(".", ""))
                if target and target != key and target in groups:
                    groups[target].extend(groups.pop(key))
        return list(groups.values())

    def _entities(self, groups: list[list[_Mention]]) -> list[Entity]:
        entities = []
        for ms in groups:
            ms.sort(key=lambda m: m.start)
            label = _majority(ms)
            for m in ms:
                m.label = label
            canonical = max(ms, key=lambda m: (len(name_tokens(m.name)), len(m.name), -m.start)).name
            entity = Entity(id=None, name=canonical, label=label)
            entity.mentions = [[m.start, m.end] for m in ms]
            entity._spans = [m.span for m in ms if m.span is not None]  # type: ignore[attr-defined]
            entities.append(entity)
        return entities

    # ------------------------------------------------------------------ handles
    def _attach_handles(self, text: str, entities: list[Entity]) -> None:
        """"Masih Alinejad (@AlinejadMasih)": the handle is a mention of the name it stands beside."""
        if "@" not in text:
            return
        by_end = {end: e for e in entities for _, end in e.mentions}
        people = [e for e in entities if e.label == "PERSON"]
        for match in _HANDLE.finditer(text):
            s, e = match.start(), match.end()
            owner = None
            paren = text.rfind("(", max(0, s - 2), s)
            if paren >= 0:
                for end in range(paren, max(0, paren - _NAME_TO_HANDLE_GAP), -1):
                    if end in by_end:
                        gap = text[end:paren]
                        if not any(c.isalnum() for c in gap):
                            owner = by_end[end]
                        break
            if owner is None:
                handle = match.group(1).casefold()
                owner = next((p for p in people if _handle_matches(handle, p.name)), None)
            if owner is not None and [s, e] not in owner.mentions:
                owner.mentions.append([s, e])
                owner.mentions.sort()

    # ------------------------------------------------------------------ roles
    def _attach_roles(self, doc: Doc, entities: list[Entity]) -> None:
        for entity in entities:
            spans = entity.__dict__.pop("_spans", [])
            if entity.label != "PERSON":
                continue
            for span in spans:
                for found in (self._premodifier(span), self._apposition(span), self._copula(span)):
                    if found is None:
                        continue
                    role = found.text
                    if role in entity.roles or not self._is_role(found):
                        continue
                    entity.roles.append(role)
                    entity.role_spans.append([found.start_char, found.end_char])

    def _is_role(self, phrase: Span) -> bool:
        """A description of what a person is: words with a role noun, no handle, address or post text."""
        text = phrase.text
        if any(c in text for c in "@#\n") or "http" in text or "www." in text or len(text) > 120:
            return False
        return any(self._is_role_noun(p) for tok in phrase for p in [tok.text, *tok.text.split("-")])

    def _titled_person(self, mention: _Mention) -> bool:
        """A name the small model calls ORG right after a person's title ("head librarian Amara Lindqvist").

        Organisations are not given job titles, so a role noun just before a two- or three-word proper name
        makes it a person, unless the label table fixes the name's label.
        """
        span = mention.span
        if span is None or span.start == 0 or mention.name.casefold() in self.fixed_labels:
            return False
        words = [t for t in span if not t.is_punct]
        if not 2 <= len(words) <= 3 or not all(t.pos_ == "PROPN" and t.text[:1].isupper() and t.is_alpha
                                               for t in words):
            return False
        before = span.doc[span.start - 1]
        return before.pos_ == "NOUN" and before.text[:1].islower() and self._is_role_noun(before.text)

    def _is_role_noun(self, token_text: str) -> bool:
        word = token_text.casefold()
        return word in self.role_nouns or word.rstrip("s") in self.role_nouns or word[:-2] in self.role_nouns

    def _premodifier(self, span: Span) -> Span | None:
        """"Iranian journalist and activist Masih Alinejad" -> "Iranian journalist and activist"."""
        doc = span.doc
        i = span.start - 1
        first = None
        has_role = False
        while i >= 0 and span.start - i <= self.max_role_tokens:
            tok = doc[i]
            if tok.pos_ in ("NOUN", "VERB", "PROPN") and tok.text[:1].islower() and self._capital_after(
                    doc, i + 1, span.start):
                # a lowercase noun before a capitalised title is the sentence's, not the name's ("impeach President
                # X", "the plan President X signed", "her husband and President X"); "former President X" (an
                # adjective) and "journalist and activist X" (all lowercase) stay; a lowercase word tagged as a proper
                # noun ("impeach") is a common word the tagger missed
                break
            if tok.ent_type_ in ("PERSON", "DATE", "TIME", "CARDINAL", "ORDINAL") or tok.is_sent_end:
                break
            if tok.text in _DASHES and tok.whitespace_ and i > 0 and doc[i - 1].whitespace_:
                break  # "WASHINGTON - President X": a dateline ends at its dash
            if tok.lower_ in _PAGE_WORDS and tok.text[:1].isupper():
                break  # "CLOSE President X": a page's button or label, not a title
            if tok.pos_ in _ROLE_POS and not tok.is_punct and tok.text[:1] not in "@#\"'\u201c\u201d":
                if tok.pos_ == "PROPN" and not tok.ent_type_ and tok.i > 0 and doc[tok.i - 1].is_sent_end:
                    break
                has_role = has_role or any(self._is_role_noun(p) for p in re.split(r"-", tok.text) + [tok.text])
                first = i
            elif tok.lower_ in _ROLE_LINK and first is not None:
                pass
            else:
                break
            i -= 1
        if first is None or not has_role:
            return None
        # each part joined by "and" names a role: "Iran and House Speaker X" is "House Speaker"; "journalist and
        # activist X" stays whole, and so do a body's name ("Housing and Urban Development Secretary X") and
        # adjectives of group ("Democratic and Republican leaders")
        for k in range(span.start - 1, first, -1):
            left = doc[k - 1]
            if doc[k].lower_ in ("and", "&") and doc[k].ent_iob_ != "I" and (
                    left.text.islower() or left.ent_type_ not in ("", "NORP")) and not any(
                    self._is_role_noun(p) for t in doc[first:k] for p in [t.text, *t.text.split("-")]):
                first = k + 1
                break
        while doc[first].lower_ in _ROLE_LINK:
            first += 1
        return doc[first:span.start]

    @staticmethod
    def _capital_after(doc: Doc, i: int, end: int) -> bool:
        """The next word from `i` (past "and", "&") before `end` is capitalised."""
        while i < end and doc[i].lower_ in ("and", "&"):
            i += 1
        return i < end and doc[i].text[:1].isupper()

    def _phrase(self, head) -> Span | None:
        left, right = head.left_edge.i, head.right_edge.i + 1
        doc = head.doc
        while left < right and (doc[left].pos_ == "DET" or doc[left].is_punct):
            left += 1
        while right > left and doc[right - 1].is_punct:
            right -= 1
        if right <= left or right - left > self.max_role_tokens:
            return None
        if head.ent_type_ in ("PERSON", "GPE", "LOC", "DATE", "TIME") or head.pos_ not in ("NOUN", "NUM", "PRON"):
            return None
        return doc[left:right]

    def _apposition(self, span: Span) -> Span | None:
        for tok in span:
            for child in tok.children:
                if child.dep_ == "appos" and not (span.start <= child.i < span.end):
                    phrase = self._phrase(child)
                    # beside the name (", the commissioner of ..."): an apposition the parser hung on a name
                    # further away belongs to the name next to it ("X named Y, the commissioner")
                    if phrase is not None and (0 <= phrase.start - span.end <= 2 or 0 <= span.start - phrase.end <= 2):
                        return phrase
                    return None
        root = span.root
        if root.dep_ == "appos" and root.head.pos_ == "NOUN" and self._is_role_noun(root.head.text):
            head = root.head
            left = head.left_edge.i
            while head.doc[left].pos_ == "DET":
                left += 1
            return head.doc[left:head.i + 1]
        return None

    def _copula(self, span: Span) -> Span | None:
        root = span.root
        if root.dep_ != "nsubj" or root.head.lemma_ != "be":
            return None
        for child in root.head.children:
            if child.dep_ == "attr" and child.i > root.i:
                return self._phrase(child)
        return None


def _majority(mentions: list[_Mention]) -> str:
    """The label most of the model's mentions got; a tie goes to PERSON, then to the first mention."""
    counts = Counter(m.label for m in mentions if m.span is not None) or Counter(m.label for m in mentions)
    best = max(counts.values())
    if counts.get("PERSON") == best:
        return "PERSON"
    return next(m.label for m in mentions if counts.get(m.label) == best)


def _is_part(short: list[str], full: list[str]) -> bool:
    """"Alinejad" or "Masih" in "Masih Alinejad"; a first or last part, never a middle word alone."""
    n = len(short)
    if full[:n] == short:
        # "Donald Trump" is not the short form of "Donald Trump Jr.": the suffix names another person
        return not all(t in _SUFFIXES for t in full[n:])
    core = list(full)
    while len(core) > 1 and core[-1] in _SUFFIXES:
        core.pop()
    return full[-n:] == short or (len(core) > n and core[-n:] == short)


def _handle_matches(handle: str, name: str) -> bool:
    parts = [t for t in name_tokens(name) if len(t) > 1]
    if len(parts) < 2:
        return False
    return "".join(parts) in handle or "".join(reversed(parts)) in handle
