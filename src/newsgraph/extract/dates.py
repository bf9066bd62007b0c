"""Date expressions, resolved to ISO 8601 against the publication date.

Candidates are spaCy's DATE spans plus weekday names and relative phrases ("last week") the model
missed; each is resolved by rules first (regular expressions over the span), then by dateparser on
that span alone. The anchor is the article's publication date when it is known (given, or read from
the page or its address: extract/published.py), or the date of the social post the expression stands
in. Without one, an expression that needs it ("today", "Friday", "last week", a month without a year)
keeps a null `value` and the record's `errors` say why: the article's own dates are not an anchor, since
the latest of them is often an event's date, not the day the article speaks from. A weekday is the
latest such day on or before the anchor ("Friday" in a Friday paper is that day), the next one when
the sentence speaks of the future; a month or a day without a year is the nearest one the sentence can
mean (the last one before the anchor in the past tense, the next one in the future tense). A title
("This Week", the TV show) is no date, nor are expressions with no day, month, year or week value
("the 1990s", "recently", "two years").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..data import load_table
from ..errors import Msg
from ..records import DateMention
from .component import Extractor, add_error
from .published import is_anchor, text_date, url_date

Doc.set_extension("dates", default=None, force=True)
# (YYYY-MM-DD, source) of the article's publication date, derived here when the article had none
Doc.set_extension("published", default=None, force=True)

Date = dt.date


@Language.factory("newsgraph_dates", requires=["doc.ents"], assigns=["doc._.dates", "doc._.published"],
                  default_config={"words": "date_words.json", "use_dateparser": True})
def make_date_extractor(nlp: Language, name: str, words: str, use_dateparser: bool) -> DateExtractor:
    return DateExtractor(DateResolver(load_table(words), use_dateparser=use_dateparser))


def iso_week(day: Date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def add_months(day: Date, months: int) -> tuple[int, int]:
    total = day.year * 12 + day.month - 1 + months
    return total // 12, total % 12 + 1


class DateResolver:
    """Text of one date expression + anchor date -> ISO value, or None."""

    def __init__(self, words: dict, use_dateparser: bool = True) -> None:
        self.months: dict[str, int] = words["months"]
        self.weekdays: dict[str, int] = words["weekdays"]
        self.numbers: dict[str, int | None] = words["numbers"]
        self.days_from_today: dict[str, int] = words["days_from_today"]
        self.shifts: dict[str, int] = words["shifts"]
        self.ago: dict[str, int] = words["ago"]
        self.future_cues = set(words["future_cues"])
        self.future_lemmas = set(words.get("future_lemmas", []))
        self.skip = set(words["skip"])
        self.use_dateparser = use_dateparser
        month = "|".join(sorted(self.months, key=len, reverse=True))
        weekday = "|".join(self.weekdays)
        number = "|".join(re.escape(n) for n in sorted(self.numbers, key=len, reverse=True))
        strip = "|".join(re.escape(w) for w in sorted(words["strip"], key=len, reverse=True))
        self.re_strip = re.compile(rf"^(?:{strip})(?:\s+|(?<=-))", re.I)
        self.re_weekday_prefix = re.compile(rf"^({weekday})\b[,.]?\s*", re.I)
        self.re_time_of_day = re.compile(r"\s+(morning|afternoon|evening|night|noon|midnight)$", re.I)
        self.re_iso = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
        self.re_numeric = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
        self.re_mdy = re.compile(rf"^({month})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:\s*(?:-|and|to|&)\s*\d{{1,2}})?"
                                 rf"(?:,?\s*(\d{{4}}))?$", re.I)
        self.re_dmy = re.compile(rf"^(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({month})\.?(?:,?\s*(\d{{4}}))?$", re.I)
        self.re_my = re.compile(rf"^({month})\.?(?:,?\s*(?:of\s+)?(\d{{4}}))?$", re.I)
        self.re_year = re.compile(r"^(?:the\s+year\s+)?((?:1[5-9]|20)\d{2})$", re.I)
        self.re_weekday = re.compile(rf"^(?:(this|last|next|past|coming|previous)\s+)?({weekday})$", re.I)
        self.re_rel_unit = re.compile(r"^(this|current|last|past|previous|next|coming|following)\s+(day|week|month|year)$",
                                      re.I)
        self.re_ago = re.compile(rf"^({number}|\d+)\s+(day|week|month|year)s?\s+(ago|earlier|before|later|from now|hence)$",
                                 re.I)
        self.re_unit_before = re.compile(r"^(?:the\s+)?(day|week|month|year)\s+(before|after|earlier|later)$", re.I)
        self.re_inner = re.compile(rf"\b(?:(?:{month})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s*\d{{4}})?"
                                   rf"|\d{{1,2}}\s+(?:{month})\.?(?:,?\s*\d{{4}})?"
                                   rf"|(?:{month})\.?,?\s+\d{{4}}|(?:1[5-9]|20)\d{{2}}(?!s|\d))\b", re.I)
        self.re_month_rel_year = re.compile(rf"^({month})\.?\s+(?:of\s+)?(this|last|next)\s+year$", re.I)
        self.re_month_rel = re.compile(rf"^(last|this|next|past)\s+({month})$", re.I)
        # a length of time ("30 days", "a few more weeks", "two-year") or a recurrence ("every Monday") is not a
        # point in time: it gets no date value (TimeML calls them DURATION and SET)
        self.re_duration = re.compile(rf"^(?:{number}|\d+(?:[.,]\d+)?|a|an|a few|few|several|many|some|a couple of)"
                                      r"[\s-]+(?:more\s+|full\s+|straight\s+)?"
                                      r"(?:day|week|month|year|decade|centur(?:y|ie)|hour|minute|fortnight)s?"
                                      r"(?:\s+(?:long|old|running|straight))?$", re.I)
        self.re_recurrence = re.compile(r"^(?:every|each)\b", re.I)

    # ------------------------------------------------------------------ public
    def resolve(self, text: str, anchor: Date | None, future: bool = False, past: bool = False) -> str | None:
        """ISO value of one expression; `future`/`past`: the sentence's tense, which picks among the
        months or days without a year the expression can mean."""
        return self._resolve(" ".join(text.replace("\u2019", "'").split()), anchor, future, past and not future)

    def needs_anchor(self, text: str, future: bool = False) -> bool:
        """Does the expression get a value only against a publication date ("today", "Friday", "March")?"""
        return self.resolve(text, None, future) is None and self.resolve(text, _PROBE, future) is not None

    @lru_cache(maxsize=4096)  # noqa: B019 - one resolver per pipeline, a bounded cache is the point
    def _resolve(self, text: str, anchor: Date | None, future: bool, past: bool = False) -> str | None:
        t = text.strip(" .,;:!?\"'()").strip()
        t = re.sub(r"'s$", "", t)
        t = self.re_time_of_day.sub("", t)
        for _ in range(4):
            stripped = self.re_strip.sub("", t)
            if stripped == t:
                break
            t = stripped
        t = t.strip(" .,")
        if not t or t.lower() in self.skip or self.re_duration.match(t) or self.re_recurrence.match(text):
            return None
        weekday = None
        m = self.re_weekday_prefix.match(t)
        if m and m.end() < len(t):
            weekday = self.weekdays[m.group(1).lower()]
            t = t[m.end():].strip()
        value = self._rules(t, anchor, future, weekday, past)
        if value is None and self.use_dateparser and anchor is not None and re.search(r"\d", t) \
                and re.search(r"[A-Za-z]{3}", t):
            value = self._dateparser(t, anchor)
            if value and not re.search(r"\d{4}", t) and abs(int(value[:4]) - anchor.year) > 1:
                value = None
        return value

    def find_in(self, text: str) -> Iterator[tuple[int, int]]:
        """Explicit dates inside a longer expression ("the quarter ended Sept. 30")."""
        for m in self.re_inner.finditer(text):
            yield m.start(), m.end()

    # ------------------------------------------------------------------ rules
    def _rules(self, t: str, anchor: Date | None, future: bool, weekday: int | None, past: bool = False) -> str | None:
        low = t.lower()
        if (m := self.re_iso.match(t)):
            return _day(int(m[1]), int(m[2]), int(m[3]))
        if (m := self.re_numeric.match(t)):
            year = int(m[3]) + (1900 if len(m[3]) == 2 and int(m[3]) > 30 else 2000 if len(m[3]) == 2 else 0)
            return _day(year, int(m[1]), int(m[2]))
        if (m := self.re_mdy.match(t)) or (m := self.re_dmy.match(t)):
            month_word, day_text = (m[1], m[2]) if m.re is self.re_mdy else (m[2], m[1])
            month, day = self.months[month_word.lower()], int(day_text)
            year = int(m[3]) if m[3] else self._year_for(month, day, anchor, weekday, future, past)
            return _day(year, month, day) if year else None
        if (m := self.re_my.match(t)):
            month = self.months[m[1].lower()]
            if m[1].lower() == "may" and not m[2] and t[0].islower():
                return None  # the verb "may"
            if m[2]:
                return f"{int(m[2]):04d}-{month:02d}"
            if anchor is None:
                return None
            if past:  # "the talks collapsed in March": the last March up to the anchor's month
                year = anchor.year if month <= anchor.month else anchor.year - 1
            elif future:  # "elections will be held in March": the next one from the anchor's month
                year = anchor.year if month >= anchor.month else anchor.year + 1
            else:
                year = min((anchor.year - 1, anchor.year, anchor.year + 1),
                           key=lambda y: abs((Date(y, month, 15) - anchor).days))
            return f"{year:04d}-{month:02d}"
        if (m := self.re_year.match(t)):
            return m[1]
        if anchor is None:
            return None
        if low in self.days_from_today:
            return (anchor + dt.timedelta(days=self.days_from_today[low])).isoformat()
        if (m := self.re_weekday.match(t)):
            return self._weekday(self.weekdays[m[2].lower()], (m[1] or "").lower(), anchor, future).isoformat()
        if (m := self.re_rel_unit.match(t)):
            return _shift(anchor, m[2].lower(), self.shifts[m[1].lower()])
        if (m := self.re_ago.match(t)):
            n = self.numbers.get(m[1].lower()) if not m[1].isdigit() else int(m[1])
            if n is None:
                return None
            return _shift(anchor, m[2].lower(), n * self.ago[m[3].lower()])
        if (m := self.re_unit_before.match(t)):
            return _shift(anchor, m[1].lower(), -1 if m[2].lower() in ("before", "earlier") else 1)
        if (m := self.re_month_rel_year.match(t)):
            year = anchor.year + self.shifts[m[2].lower()]
            return f"{year:04d}-{self.months[m[1].lower()]:02d}"
        if (m := self.re_month_rel.match(t)):
            month = self.months[m[2].lower()]
            word = m[1].lower()
            year = anchor.year
            if word in ("last", "past") and (month, 1) >= (anchor.month, 1):
                year -= 1
            elif word == "next" and month <= anchor.month:
                year += 1
            return f"{year:04d}-{month:02d}"
        return None

    def _year_for(self, month: int, day: int, anchor: Date | None, weekday: int | None,
                  future: bool = False, past: bool = False) -> int | None:
        if weekday is not None:
            # "Friday, August 13": the year nearest the anchor (or today) in which that day is a Friday
            base = anchor or Date.today()
            for delta in (0, -1, 1, -2, 2, -3, 3, -4, 4, -5, 5, -6, 6, -7, 7, -8, 8, -9, 9, -10, 10, -11, 11):
                year = base.year + delta
                if anchor is None and year > base.year:
                    continue
                try:
                    if Date(year, month, day).weekday() == weekday:
                        return year
                except ValueError:
                    return None
        if anchor is None:
            return None
        # the year that puts the day nearest the anchor ("Dec. 1" in an October paper is five weeks ahead);
        # in the past tense not after it, in the future tense not before it
        best = None
        for year in (anchor.year - 1, anchor.year, anchor.year + 1):
            try:
                signed = (Date(year, month, day) - anchor).days
            except ValueError:
                continue
            if (past and signed > 0) or (future and signed < 0):
                continue
            gap = abs(signed)
            if best is None or gap < best[0]:
                best = (gap, year)
        return best[1] if best else None

    @staticmethod
    def _weekday(weekday: int, word: str, anchor: Date, future: bool) -> Date:
        back = (anchor.weekday() - weekday) % 7
        if word in ("next", "coming") or (future and word not in ("last", "past", "previous")):
            ahead = (weekday - anchor.weekday()) % 7
            return anchor + dt.timedelta(days=ahead or 7) if word == "next" or ahead else anchor
        if word in ("last", "past", "previous"):
            return anchor - dt.timedelta(days=back or 7)
        return anchor - dt.timedelta(days=back)

    @staticmethod
    def _dateparser(t: str, anchor: Date) -> str | None:
        return _dateparser(t, anchor)


@lru_cache(maxsize=4096)
def _dateparser(t: str, anchor: Date) -> str | None:
    import dateparser

    settings = {"RELATIVE_BASE": dt.datetime(anchor.year, anchor.month, anchor.day), "PREFER_DATES_FROM": "past",
                "REQUIRE_PARTS": ["year"], "RETURN_TIME_AS_PERIOD": True}
    try:
        found = dateparser.parse(t, languages=["en"], settings=settings)
    except Exception:  # noqa: BLE001 - an odd span is just left unresolved
        return None
    if found is None:
        return None
    if re.search(r"\b\d{1,2}(?:st|nd|rd|th)?\b", re.sub(r"\d{4}", "", t)):
        return found.date().isoformat()
    return f"{found.year:04d}-{found.month:02d}" if re.search(r"[A-Za-z]{3}", t) else str(found.year)


_PAST_AUX = frozenset({"has", "have", "had", "was", "were"})  # "has opened", "was opened": done by now
_PROBE = Date(2000, 6, 15)  # any day: an expression that resolves against it but not alone needs an anchor
_RECURRING = re.compile(r"\b(?:every|each)\s+(?:other\s+)?$", re.I)


def _day(year: int, month: int, day: int) -> str | None:
    try:
        return Date(year, month, day).isoformat()
    except ValueError:
        return None


def _shift(anchor: Date, unit: str, n: int) -> str:
    if unit == "day":
        return (anchor + dt.timedelta(days=n)).isoformat()
    if unit == "week":
        return iso_week(anchor + dt.timedelta(weeks=n))
    if unit == "month":
        year, month = add_months(anchor, n)
        return f"{year:04d}-{month:02d}"
    return str(anchor.year + n)


class DateExtractor(Extractor):
    name = "newsgraph_dates"
    attr = "dates"

    def __init__(self, resolver: DateResolver) -> None:
        self.resolver = resolver
        weekday = "|".join(w.capitalize() for w in resolver.weekdays)
        # what the model leaves untagged: capitalised weekday names and a few relative phrases
        self.re_extra = re.compile(rf"\b(?:(?:last|next|this|on|past)\s+)?(?:{weekday})\b"
                                   r"|\b(?:last|this|next|past)\s+(?:week|month|year)\b"
                                   r"|\b(?:[Yy]esterday|[Tt]oday|[Tt]omorrow)\b")
        # words that are lower case in a date and capitalised in a title ("This Week")
        self.title_words = set(resolver.shifts) | set(resolver.days_from_today) | {"week", "month", "year", "day",
                                                                                  "night", "tonight", "morning"}

    def __call__(self, doc: Doc) -> Doc:
        try:
            spans = self._candidates(doc, doc.text)
            published = self.publication(doc, spans)
            found = list(self.find(doc, spans, published))
        except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the run
            add_error(doc, self.name, exc)
            return doc
        doc._.published = published
        doc._.dates = found
        unresolved = sum(d.value is None for d in found)
        if unresolved:
            if doc._.errors is None:
                doc._.errors = []
            why = "it is unknown" if published is None else f"it was read from the {published[1]}, not given"
            doc._.errors.append(Msg.NG210.format(count=unresolved, why=why))
        return doc

    def publication(self, doc: Doc, spans: list | None = None) -> tuple[str, str] | None:
        """(YYYY-MM-DD, source) of the article's publication date: its own, else from its address, else from
        its text (extract/published.py); None when none of them gives one."""
        article = doc._.article
        if article is not None and article.published:
            return article.published, article.published_source or "given"
        if article is not None and (day := url_date(article.url)):
            return day, "url"
        spans = self._candidates(doc, doc.text) if spans is None else spans
        full = []
        for start, end, span in spans:
            text = doc.text[start:end] if span is None else span.text
            if not re.search(r"\b(?:1[5-9]|20)\d\d\b", text):
                continue  # only a date that states its year: no guessing one
            value = self.resolver.resolve(text, None)
            if value and len(value) == 10:
                full.append((start, value))
        day = text_date(full)
        return (day, "text") if day else None

    def find(self, doc: Doc, spans: list | None = None,
             published: tuple[str, str] | None | bool = False) -> Iterator[DateMention]:
        if published is False:
            published = self.publication(doc, spans)
        # only a publication date that was given, or read from the page or its address, anchors relative dates
        anchor = _parse_iso(published[0]) if published and is_anchor(published[1]) else None
        doc_text = doc.text  # built on each access: read it once
        spans = self._candidates(doc, doc_text) if spans is None else spans
        posts = [(p.start, p.end, _parse_iso(p.date)) for p in (doc._.get("social_posts") or [])
                 if getattr(p, "start", None) is not None and _parse_iso(getattr(p, "date", None))]
        for start, end, span in spans:
            while end > start and doc_text[end - 1] in " \t\n\r,;:":
                end -= 1
            text = doc_text[start:end]
            if _RECURRING.search(doc_text, max(0, start - 12), start):  # "every Monday": no one day
                continue
            if self._is_title(doc_text, start, text):  # ABC's "This Week"
                continue
            local = next((d for s, e, d in posts if s <= start and end <= e), anchor)
            future = self._future(span) if span is not None else False
            past = self._past(span) if span is not None and not future else False
            value = self.resolver.resolve(text, local, future=future, past=past)
            if value is not None:
                yield DateMention(text=text, start=start, end=end, value=value)
                continue
            inner = False
            for s, e in self.resolver.find_in(text):
                value = self.resolver.resolve(text[s:e], local, future=future, past=past)
                if value is not None:
                    inner = True
                    yield DateMention(text=text[s:e], start=start + s, end=start + e, value=value)
            if not inner and local is None and self.resolver.needs_anchor(text, future):
                # "today" in an article whose date is unknown: a date, but no value to give it
                yield DateMention(text=text, start=start, end=end, value=None)

    def _is_title(self, text: str, start: int, span_text: str) -> bool:
        """A relative phrase written as a name ("This Week", "Last Week Tonight") away from a sentence start."""
        words = span_text.split()
        if len(words) < 2 or not any(w[:1].isupper() and w.lower().strip(".,") in self.title_words for w in words[1:]):
            return False
        before = text[max(0, start - 3):start].rstrip(" \"'\u201c\u2018")
        return bool(before) and before[-1] not in ".!?\n:"

    def _past(self, span: Span) -> bool:
        """Does the sentence put the expression before the anchor ("the talks collapsed in March")?"""
        head = span.root.head
        for _ in range(4):
            if head.pos_ in ("VERB", "AUX"):
                if head.tag_ == "VBD":
                    return True
                return head.tag_ == "VBN" and any(c.dep_ in ("aux", "auxpass") and c.lower_ in _PAST_AUX
                                                  for c in head.children)
            if head.head.i == head.i:
                break
            head = head.head
        return False

    def _candidates(self, doc: Doc, text: str) -> list[tuple[int, int, Span | None]]:
        found: list[tuple[int, int, Span | None]] = []
        for ent in doc.ents:
            if ent.label_ == "DATE":
                found.append((ent.start_char, ent.end_char, ent))
        taken = [(s, e) for s, e, _ in found]
        for match in self.re_extra.finditer(text):
            s, e = match.span()
            if match.group(0).lower().startswith("on "):
                s += 3
            if any(ts < e and s < te for ts, te in taken):
                continue
            span = doc.char_span(s, e, alignment_mode="expand")
            found.append((s, e, span))
        found.sort(key=lambda x: x[0])
        return found

    def _future(self, span: Span) -> bool:
        """Does the sentence put the expression ahead of the anchor ("will meet Monday", "plans to ... Tuesday")?"""
        doc = span.doc
        if span.start >= 2 and doc[span.start - 2:span.start].text.lower() == "soon as":
            return True
        head = span.root.head
        first_verb = True
        for _ in range(4):
            if head.lemma_ in self.resolver.future_lemmas:
                return True
            if any(c.dep_ in ("aux", "auxpass") and c.lower_ in self.resolver.future_cues for c in head.children):
                return True
            if head.pos_ in ("VERB", "AUX") and first_verb:
                first_verb = False
                if head.tag_ in ("VBP", "VBZ") and head.lemma_ not in ("be", "have", "say") \
                        and not any(c.dep_ in ("aux", "auxpass") for c in head.children):
                    return True
            if head.head.i == head.i:
                break
            head = head.head
        return False


def _parse_iso(value: str | None) -> Date | None:
    if not value:
        return None
    try:
        return Date.fromisoformat(value[:10])
    except ValueError:
        return None
