"""Post dates: "August 13, 2021", "13 August 2021", "on Friday", "Friday, August 13", resolved to ISO days."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any


def parse_iso(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


class Calendar:
    """Month and weekday names from the cue table, and the regexes built from them."""

    def __init__(self, cues: dict[str, Any]) -> None:
        self.months: dict[str, int] = {k.lower(): v for k, v in cues["months"].items()}
        self.weekdays: dict[str, int] = {k.lower(): v for k, v in cues["weekdays"].items()}
        self.relative: dict[str, int] = {k.lower(): v for k, v in cues.get("relative_days", {}).items()}
        # how far back a bare weekday may lie: "Saturday" in an article dated Friday is the day after a live-updated
        # article was first stamped more often than the Saturday six days before, so that one stays undated
        self.weekday_days_back: int = cues.get("weekday_max_days_back", 6)
        # a yearless day that has not yet come this year is last year's only at the turn of a year ("Dec. 30" in
        # January); months back, the article tells an earlier year's story without naming the year
        self.rollback_days: int = cues.get("yearless_rollback_days", 366)
        self.month_word = re.compile(rf"\b(?:{'|'.join(m.capitalize() for m in self.months if len(m) > 3)})\b")
        month = "|".join(sorted((m.capitalize() for m in self.months), key=len, reverse=True))
        weekday = "|".join(sorted((w.capitalize() for w in self.weekdays), key=len, reverse=True))
        relative = "|".join(sorted((re.escape(r) for r in self.relative), key=len, reverse=True))
        # an absolute date as embeds print it: "August 13, 2021", "Aug 13, 2021", "13 August 2021"
        self.absolute = (rf"(?:(?:{month})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
                         rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{month})\.?,?\s+\d{{4}})")
        # a date in prose, possibly without a year or given by its weekday
        self.prose = re.compile(
            rf"\b(?:(?P<wd>{weekday})(?:,?\s+(?P<mon1>{month})\.?\s+(?P<day1>\d{{1,2}})(?:st|nd|rd|th)?"
            rf"(?:,?\s+(?P<year1>\d{{4}}))?)?"
            rf"|(?P<mon2>{month})\.?\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year2>\d{{4}}))?"
            rf"|(?P<day3>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon3>{month})\b(?:,?\s+(?P<year3>\d{{4}}))?"
            + (rf"|(?P<rel>{relative})" if relative else "") + r")\b")

    def parse_absolute(self, text: str) -> str | None:
        match = self.prose.search(text)
        if match is None:
            return None
        return self.resolve(match, None, None)

    def resolve(self, m: re.Match[str], published: dt.date | None, year_hint: int | None) -> str | None:
        """A prose date match -> ISO day, or None when it cannot be pinned to one day."""
        mon = m.group("mon1") or m.group("mon2") or m.group("mon3")
        day = m.group("day1") or m.group("day2") or m.group("day3")
        year = m.group("year1") or m.group("year2") or m.group("year3")
        wd = m.group("wd")
        rel = m.groupdict().get("rel")
        if rel:
            if published is None:
                return None
            return (published + dt.timedelta(days=self.relative[rel.lower()])).isoformat()
        if mon and day:
            month, d = self.months[mon.lower().rstrip(".")], int(day)
            if year:
                return _safe(int(year), month, d)
            if published is not None:
                y = published.year
                found = _safe(y, month, d)
                if found and dt.date.fromisoformat(found) > published:
                    found = _safe(y - 1, month, d)
                    if found and (published - dt.date.fromisoformat(found)).days > self.rollback_days:
                        return None
                return found
            if wd:  # "Friday, August 13" with no year: the latest year where that day is a Friday
                ref = year_hint or dt.date.today().year
                for y in range(ref, ref - 12, -1):
                    found = _safe(y, month, d)
                    if found and dt.date.fromisoformat(found).weekday() == self.weekdays[wd.lower()]:
                        return found
            return None
        if wd and published is not None:  # the most recent such day on or before publication
            back = (published.weekday() - self.weekdays[wd.lower()]) % 7
            if back > self.weekday_days_back:
                return None
            return (published - dt.timedelta(days=back)).isoformat()
        return None

    def another_time(self, text: str, published: dt.date | None) -> bool:
        """Does `text` (the paragraph before a bare "on Wednesday") tell of a time other than the article's own
        weeks: a year other than publication's, or a month other than its month or the one before? Then the
        weekday is a day of that story ("As October began ... when nothing came on Wednesday"), not of this week.
        """
        if published is None:
            return False
        if any(int(y) != published.year for y in re.findall(r"\b(?:19|20)\d{2}\b", text)):
            return True
        recent = {published.month, (published.month - 2) % 12 + 1}
        return any(self.months[m.group(0).lower()] not in recent for m in self.month_word.finditer(text))


def _safe(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None
