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
            return (published - dt.timedelta(days=back)).isoformat()
        return None


def _safe(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None
