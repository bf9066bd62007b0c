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


def test_dates_extractor_text_date_is_no_anchor(make_doc, nlp_blank):
    """Issue 18: an undated article's own dates place it in time, but "Tuesday" is not resolved against them."""
    extractor = make_date_extractor(nlp_blank, "newsgraph_dates", "date_words.json", False)
    text = "Posted June 3, 2020. She had spoken on Tuesday."
    doc = make_doc(text, ents=[("June 3, 2020", "DATE")])
    assert [(d.text, d.value) for d in extractor.find(doc)] == [("June 3, 2020", "2020-06-03"), ("Tuesday", None)]
    assert extractor.publication(doc) == ("2020-06-03", "text")


def test_dates_extractor_skips_recurrences(make_doc, nlp_blank):
    extractor = make_date_extractor(nlp_blank, "newsgraph_dates", "date_words.json", False)
    text = "The market opens every Monday and each Friday, and it opened on Tuesday."
    doc = make_doc(text, published="2021-08-13")
    assert [(d.text, d.value) for d in extractor.find(doc)] == [("Tuesday", "2021-08-10")]


def _extracted(nlp_blank, text, ents=(), published=None, url=None):
    import spacy

    from newsgraph.records import Article

    extractor = make_date_extractor(nlp_blank, "newsgraph_dates", "date_words.json", False)
    doc = nlp_blank(text)
    doc.ents = spacy.util.filter_spans([doc.char_span(text.index(t), text.index(t) + len(t), label=label,
                                                      alignment_mode="expand") for t, label in ents])
    doc._.article = Article(doc_id="t", text=text, source="t", published=published, url=url)
    return extractor(doc)


def test_issue_18_undated_today_has_no_value(nlp_blank):
    doc = _extracted(nlp_blank, "The council voted today and will meet again on Friday.")
    assert [(d.text, d.value) for d in doc._.dates] == [("today", None), ("Friday", None)]
    assert doc._.published is None
    assert len(doc._.errors) == 1 and doc._.errors[0].startswith("NG210 ")


def test_issue_18_date_from_url_anchors_today(nlp_blank):
    doc = _extracted(nlp_blank, "The council voted today.", url="https://example.org/local/2020/02/29/vote.html")
    assert doc._.published == ("2020-02-29", "url")
    assert [(d.text, d.value) for d in doc._.dates] == [("today", "2020-02-29")]
    assert not doc._.errors


def test_issue_18_given_date_wins_over_url(nlp_blank):
    doc = _extracted(nlp_blank, "It rained yesterday.", published="2021-03-02",
                     url="https://example.org/2020/02/29/rain")
    assert doc._.published == ("2021-03-02", "given")
    assert doc._.dates[0].value == "2021-03-01"


@pytest.mark.parametrize("text", ['She told ABC\'s "This Week" that the plan was sound.',
                                  "He appeared on This Week with the minister."])
def test_issue_18_tv_show_is_no_date(nlp_blank, text):
    doc = _extracted(nlp_blank, text, ents=[("This Week", "DATE")], published="2021-08-13")
    assert doc._.dates == []


def test_issue_18_this_week_at_sentence_start_is_a_date(nlp_blank):
    doc = _extracted(nlp_blank, "This week the council met.", ents=[("This week", "DATE")], published="2021-08-13")
    assert [d.value for d in doc._.dates] == ["2021-W32"]


@pytest.mark.parametrize("text,future,past,value", [
    ("March", False, True, "2021-03"),      # "the talks collapsed in March" in a September paper
    ("March", True, False, "2022-03"),      # "will be held in March"
    ("March", False, False, "2022-03"),     # no tense: the nearest March
    ("Oct. 1", False, True, "2020-10-01"),  # "it opened Oct. 1": not ahead of the paper
])
def test_issue_18_bare_month_follows_tense(resolver, text, future, past, value):
    assert resolver.resolve(text, dt.date(2021, 9, 30), future=future, past=past) == value


@pytest.mark.parametrize("url,day", [
    ("https://example.org/local/2020/02/29/vote.html", "2020-02-29"),
    ("https://example.org/world/2020/feb/29/vote", "2020-02-29"),
    ("https://example.org/news/vote-20200229.html", "2020-02-29"),
    ("https://example.org/entry/council-vote_us_5ad68f54e4b029ebe01ef17a", "2018-04-18"),
    ("https://example.org/2020/04/vote", None),  # a month is no day
    ("https://example.org/2020/02/30/vote", None),
    (None, None),
])
def test_issue_18_url_dates(url, day):
    from newsgraph.extract.published import url_date

    assert url_date(url) == day
