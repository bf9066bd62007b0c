"""Amounts: a number, what it counts, and any hedge ("nearly 250,000 Afghans").

Candidates are spaCy's CARDINAL, MONEY, QUANTITY and PERCENT spans, and DATE spans that are
lengths of time ("two decades"). The value is read from digits and number words
(data/number_words.tsv), the hedge from data/hedges.tsv, the object from the noun the number
modifies ("1.7 million views" -> "views", "thousands of responses" -> "responses"), and the source
from "according to X" in the same sentence. Fractions are read as such ("one-sixth" is 1/6, "two-thirds"
2/3, "a half dozen" 6); a number glued to letters that are no unit or scale ("49ers", data/amount_suffixes.tsv)
is a name, not an amount; a range ("10 to 20", "between 10 and 20", "10,000-15,000", "five to seven") keeps
its low end in `value` and its high end in `value_to`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..data import alternation, load_table
from ..records import Amount
from .component import Extractor

Doc.set_extension("amounts", default=None, force=True)

_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|\.\d+")
_DURATION = re.compile(r"^(?:the\s+(?:past|last|next)\s+)?(\S+(?:\s+\S+)?)\s+(decades?|years?|months?|weeks?|days?|hours?)$",
                       re.I)
_GLUED = re.compile(r"\d([A-Za-z]+)\b")  # "49ers", "10km": letters right after the digits
_RANGE_SEP = r"\s*(?:-|\u2013|\u2014|to)\s*"
_CURRENCY = {"$": "dollars", "\u00a3": "pounds", "\u20ac": "euros", "\u00a5": "yen"}


@Language.factory("newsgraph_amounts", requires=["doc.ents"], assigns=["doc._.amounts"],
                  default_config={"hedges": "hedges.tsv", "numbers": "number_words.tsv",
                                  "labels": ["CARDINAL", "MONEY", "QUANTITY", "PERCENT"],
                                  "suffixes": "amount_suffixes.tsv"})
def make_amount_extractor(nlp: Language, name: str, hedges: str, numbers: str, labels: list[str],
                          suffixes: str = "amount_suffixes.tsv") -> AmountExtractor:
    hedge_rows = load_table(hedges)
    number_rows = load_table(numbers)
    return AmountExtractor({r["phrase"].lower(): r["kind"] for r in hedge_rows},
                           {r["word"].lower(): (float(r["value"]), r["kind"]) for r in number_rows}, labels,
                           {r["suffix"].lower() for r in load_table(suffixes)})


class AmountExtractor(Extractor):
    name = "newsgraph_amounts"
    attr = "amounts"

    def __init__(self, hedges: dict[str, str], numbers: dict[str, tuple[float, str]],
                 labels: list[str] | tuple[str, ...] = ("CARDINAL", "MONEY", "QUANTITY", "PERCENT"),
                 suffixes: set[str] | frozenset[str] = frozenset()) -> None:
        self.hedges = hedges
        self.numbers = numbers
        self.labels = set(labels)
        self.suffixes = set(suffixes) | {w for w, (_, kind) in numbers.items() if kind == "scale"}
        word = "|".join(re.escape(w) for w in sorted(numbers, key=len, reverse=True) if len(w) > 2)
        number = rf"(?:[$\u00a3\u20ac]?\d[\d,]*(?:\.\d+)?|(?:{word})(?:[\s-]+(?:{word}))*)"
        scale = r"(?:\s+(?:million|billion|trillion|thousand|hundred|mn|bn|m))?"
        # the high end right after an amount: "10,000[-15,000]", "five[ to seven]", "$5 million[ to $7 million]"
        self.re_high = re.compile(rf"{_RANGE_SEP}({number}{scale})\b", re.I)
        self.re_between = re.compile(rf"^between\s+({number}{scale})\s+and\s+({number}{scale})$", re.I)
        words = alternation(hedges, "newsgraph_amounts hedges")
        self.re_hedge_before = re.compile(r"\b(" + words + r")\s*$", re.I)
        self.re_hedge_inside = re.compile(r"^(" + words + r")\s+", re.I)

    def find(self, doc: Doc) -> Iterator[Amount]:
        doc_text = doc.text  # built on each access: read it once
        taken = 0  # the end of the last range: a number inside it is its high end, not an amount of its own
        for ent in doc.ents:
            if ent.start_char < taken:
                continue
            if ent.label_ == "DATE" and (m := self.re_between.match(ent.text)) and not _years(m[1], m[2]):
                amount = Amount(text=ent.text, start=ent.start_char, end=ent.end_char, value=self._value(m[1]),
                                value_to=self._value(m[2]), object=self._object(ent))
                if amount.value is None or amount.value_to is None:
                    continue
            elif ent.label_ in self.labels:
                amount = self._amount(ent, doc_text)
            elif ent.label_ == "DATE" and (m := _DURATION.match(ent.text)) and self._all_number(m[1]):
                amount = Amount(text=ent.text, start=ent.start_char, end=ent.end_char, value=self._value(m[1]),
                                object=m[2].lower())
                amount.approx = self._hedge_before(doc_text, ent.start_char)
            else:
                continue
            if amount is not None:
                taken = amount.end
                yield amount

    # ------------------------------------------------------------------ parts
    def _amount(self, ent: Span, doc_text: str) -> Amount | None:
        start, end = ent.start_char, ent.end_char
        text = doc_text[start:end]
        approx = None
        inside = self.re_hedge_inside.match(text)
        if inside and inside.end() < len(text):
            approx = inside.group(1).lower()
            text = text[inside.end():]
        if any(m.group(1).lower() not in self.suffixes for m in _GLUED.finditer(text)):
            return None  # "the 49ers": a name with a number in it
        low, high = self._range(text)
        value = self._value(low)
        if value is None or (ent.label_ == "CARDINAL" and text.lower() in ("one", "a", "an")):
            return None  # "one of the biggest tragedies", "One person wrote"
        value_to = self._value(high) if high else None
        if value_to is None and (m := self.re_high.match(doc_text, end)) and _same_line(doc_text, end, m.end()):
            value_to = self._value(m.group(1))
            if value_to is not None:
                end = m.end()
        if value_to is not None and value_to < value:
            value_to = None  # "10-2" is a score, "1-0" a result: not a range
            end = ent.end_char
        # a range that ran past the span is read as one: its object follows the high end ("five to seven soldiers")
        wide = ent.doc.char_span(start, end, alignment_mode="expand") if end != ent.end_char else None
        obj = self._object(wide if wide is not None else ent)
        if obj is None:
            cur = next((name for sym, name in _CURRENCY.items() if sym in ent.text), None)
            obj = cur or ("percent" if ent.label_ == "PERCENT" else None)
        if approx is None:
            approx = self._hedge_before(doc_text, start)
        return Amount(text=doc_text[start:end], start=start, end=end, value=value, object=obj, approx=approx,
                      source=self._source(ent, doc_text), value_to=value_to)

    def _range(self, text: str) -> tuple[str, str | None]:
        """A span holding both ends ("$5 million to $7 million", "10-20") -> (low text, high text)."""
        m = re.match(rf"^(?:between\s+)?(.+?)(?:{_RANGE_SEP}|\s+and\s+)(.+)$", text, re.I) \
            if re.search(r"\d.*(?:-|\u2013|\u2014|\bto\b)|\bto\b|^between\b", text, re.I) else None
        if m and self._value(m[1]) is not None and self._value(m[2]) is not None:
            low, high = m[1], m[2]
            # "$5 to $7 million": the scale of the high end is the low end's too
            scale = re.search(r"\s+(million|billion|trillion|thousand|mn|bn)$", high, re.I)
            if scale and not re.search(r"(million|billion|trillion|thousand|mn|bn)$", low, re.I):
                low += scale.group(0)
            return low, high
        return text, None

    def _all_number(self, text: str) -> bool:
        words = text.lower().replace("-", " ").split()
        # "third year" is an ordinal: a fraction word makes a length of time only after a count ("two thirds")
        if words and self.numbers.get(words[0], (0, ""))[1] == "fraction" and words[0] != "half":
            return False
        return bool(words) and all(_NUMBER.fullmatch(w) or w in self.numbers for w in words) and words != ["a"] \
            and words != ["an"]

    def _value(self, text: str) -> int | float | None:
        low = text.lower().replace("-", " ")
        digits = _NUMBER.search(low)
        total: float | None = None
        if digits:
            total = float(digits.group(0).replace(",", ""))
            rest = low[digits.end():].split()
        else:
            rest = low.split()
        current = 0.0
        numerator = 0.0  # the last count said, which a fraction after it divides ("two-thirds", "a half")
        seen_word = False
        for word in rest if digits else low.split():
            word = word.strip(".,%$")
            if word not in self.numbers:
                if word in ("and", "of") or not word:
                    numerator = 0.0 if word == "and" else numerator
                    continue
                break
            number, kind = self.numbers[word]
            if kind == "fraction":
                if digits and total is not None:
                    break  # "3 quarters" of a game: not a fraction of the number
                current = current - numerator + (numerator or 1.0) * number
                numerator = 0.0
                seen_word = True
            elif kind in ("scale", "vague"):
                base = total if total is not None else (current or 1.0)
                total, current = base * number, 0.0
                if kind == "vague" and not digits:
                    total = number
            elif total is None or not digits:
                current += number
                numerator = number
                seen_word = True
        if total is None and seen_word:
            total = current
        if total is None:
            return None
        return int(total) if float(total).is_integer() else round(total, 4)

    def _hedge_before(self, text: str, start: int) -> str | None:
        match = self.re_hedge_before.search(text, max(0, start - 20), start)
        return match.group(1).lower() if match else None

    @staticmethod
    def _object(ent: Span) -> str | None:
        root = ent.root
        head = root.head
        doc = ent.doc
        if root.dep_ in ("nummod", "quantmod", "amod", "compound", "npadvmod") and head.i >= ent.end \
                and head.pos_ in ("NOUN", "PROPN"):
            left = head.i
            while left - 1 >= ent.end and doc[left - 1].dep_ in ("compound", "amod") and doc[left - 1].head == head:
                left -= 1
            return doc[left:head.i + 1].text
        if ent.end < len(doc):
            nxt = doc[ent.end]
            if nxt.lower_ == "of" and ent.end + 1 < len(doc):
                for tok in nxt.children:
                    if tok.dep_ == "pobj" and tok.pos_ in ("NOUN", "PROPN"):
                        return tok.text
            if nxt.pos_ in ("NOUN", "PROPN") and not nxt.ent_type_:
                return nxt.text
        return None

    @staticmethod
    def _source(ent: Span, doc_text: str) -> str | None:
        doc = ent.doc
        sent = ent.sent if doc.has_annotation("SENT_START") else doc[:]
        idx = doc_text[sent.start_char:sent.end_char].lower().find("according to ")
        if idx < 0:
            return None
        begin = sent.start_char + idx + len("according to ")
        for other in sent.ents:
            if other.start_char >= begin and other.label_ in ("ORG", "PERSON", "GPE", "NORP"):
                end = other.end_char
                # "UN refugee agency": the entity and the nouns right after it
                tok = other.end
                while tok < sent.end and sent.doc[tok].pos_ in ("NOUN", "PROPN") and not sent.doc[tok].ent_type_:
                    end = sent.doc[tok].idx + len(sent.doc[tok])
                    tok += 1
                return doc_text[begin:end]
        return None


def _years(low: str, high: str) -> bool:
    """"between 2010 and 2015" is a time span, not an amount."""
    return all(re.fullmatch(r"(?:1[5-9]|20)\d\d", x.strip()) for x in (low, high))


def _same_line(text: str, start: int, end: int) -> bool:
    return "\n" not in text[start:end]
