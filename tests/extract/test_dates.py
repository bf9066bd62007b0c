"""Dates: rules first, anchored on the publication date (or the post the date stands in)."""

from __future__ import annotations

import datetime as dt

import pytest

from newsgraph.data import load_table
from newsgraph.extract.dates import DateResolver, make_date_extractor

FRIDAY = dt.date(2021, 8, 13)


@pytest.fixture(scope="module")
def resolver() -> DateResolver:
    return DateResolver(load_table("date_words.json"), use_dateparser=False)


@pytest.mark.parametrize("text,value", [
    ("Friday", "2021-08-13"),            # a Friday paper's "Friday" is that day
    ("Thursday", "2021-08-12"),
    ("Saturday", "2021-08-07"),
    ("last Friday", "2021-08-06"),
    ("August 13, 2021", "2021-08-13"),
    ("Aug. 2", "2021-08-02"),
    ("13 August 2021", "2021-08-13"),
    ("Dec. 1", "2021-12-01"),
    ("the end of May", "2021-05"),
    ("May 2019", "2019-05"),
    ("2015", "2015"),
    ("last year", "2020"),
    ("next month", "2021-09"),
    ("last week", "2021-W31"),
    ("this week", "2021-W32"),
    ("two years ago", "2019"),
    ("three days ago", "2021-08-10"),
    ("yesterday", "2021-08-12"),
    ("today", "2021-08-13"),
    ("2021-08-15", "2021-08-15"),
    ("Friday morning", "2021-08-13"),
    ("June last year", "2020-06"),
])
def test_dates_resolve(resolver, text, value):
    assert resolver.resolve(text, FRIDAY) == value


@pytest.mark.parametrize("text", ["now", "recently", "the 1990s", "two decades", "daily", "we", "may", "30 days",
                                  "the past three years", "a few more weeks", "12-month", "every Monday"])
def test_dates_resolve_nothing(resolver, text):
    assert resolver.resolve(text, FRIDAY) is None


def test_dates_future_weekday(resolver):
    assert resolver.resolve("Monday", FRIDAY, future=True) == "2021-08-16"
    assert resolver.resolve("next Monday", FRIDAY) == "2021-08-16"


def test_dates_weekday_fixes_year_without_anchor(resolver):
    assert resolver.resolve("Sunday, August 15", None) == "2021-08-15"


def test_dates_extractor_finds_weekdays_not_we(make_doc, nlp_blank):
    extractor = make_date_extractor(nlp_blank, "newsgraph_dates", "date_words.json", False)
    text = "We met on Wednesday and we spoke again last week."
    doc = make_doc(text, published="2021-08-13")
    dates = list(extractor.find(doc))
    assert [(d.text, d.value) for d in dates] == [("Wednesday", "2021-08-11"), ("last week", "2021-W31")]
    assert text[dates[0].start:dates[0].end] == "Wednesday"


def test_dates_extractor_uses_spacy_spans(make_doc, nlp_blank):
    extractor = make_date_extractor(nlp_blank, "newsgraph_dates", "date_words.json", False)
    text = "It happened in the quarter ended Sept. 30, officials said."
    doc = make_doc(text, ents=[("the quarter ended Sept. 30", "DATE")], published="2021-10-20")
    assert [(d.text, d.value) for d in extractor.find(doc)] == [("Sept. 30", "2021-09-30")]


def test_dates_extractor_anchor_from_article_when_unpublished(make_doc, nlp_blank):
    extractor = make_date_extractor(nlp_blank, "newsgraph_dates", "date_words.json", False)
    text = "Posted June 3, 2020. She had spoken on Tuesday."
    doc = make_doc(text, ents=[("June 3, 2020", "DATE")])
    values = [d.value for d in extractor.find(doc)]
    assert values == ["2020-06-03", "2020-06-02"]


def test_dates_extractor_skips_recurrences(make_doc, nlp_blank):
    extractor = make_date_extractor(nlp_blank, "newsgraph_dates", "date_words.json", False)
    text = "The market opens every Monday and each Friday, and it opened on Tuesday."
    doc = make_doc(text, published="2021-08-13")
    assert [(d.text, d.value) for d in extractor.find(doc)] == [("Tuesday", "2021-08-10")]
