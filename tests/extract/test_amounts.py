"""Amounts: value, object, hedge and source."""

from __future__ import annotations

import pytest

from newsgraph.extract.amounts import AmountExtractor, make_amount_extractor


@pytest.fixture(scope="module")
def extractor(nlp_blank) -> AmountExtractor:
    return make_amount_extractor(nlp_blank, "newsgraph_amounts", "hedges.tsv", "number_words.tsv",
                                 ["CARDINAL", "MONEY", "QUANTITY", "PERCENT"])


@pytest.mark.parametrize("text,value", [
    ("250,000", 250000), ("1.7 million", 1700000), ("two", 2), ("twenty five", 25), ("3 billion", 3000000000),
    ("$4.5m", 4500000), ("thousands", 1000), ("12", 12), ("0.5", 0.5),
])
def test_amounts_value(extractor, text, value):
    assert extractor._value(text) == value


def test_amounts_hedge_before_span(make_doc, extractor):
    text = "Officials said nearly 250,000 people left."
    doc = make_doc(text, ents=[("250,000", "CARDINAL")])
    amount = list(extractor.find(doc))[0]
    assert (amount.value, amount.approx, amount.text) == (250000, "nearly", "250,000")


def test_amounts_hedge_inside_span(make_doc, extractor):
    doc = make_doc("It drew more than 3 million views.", ents=[("more than 3 million", "CARDINAL")])
    amount = list(extractor.find(doc))[0]
    assert (amount.value, amount.approx) == (3000000, "more than")


def test_amounts_duration(make_doc, extractor):
    doc = make_doc("They lost two decades of gains.", ents=[("two decades", "DATE")])
    amount = list(extractor.find(doc))[0]
    assert (amount.value, amount.object) == (2, "decades")


def test_amounts_skip_one_and_dates(make_doc, extractor):
    doc = make_doc("One person said it was a great day.", ents=[("One", "CARDINAL"), ("a great day", "DATE")])
    assert list(extractor.find(doc)) == []


@pytest.mark.model
def test_amounts_object_and_source(extract_text):
    doc = extract_text("According to the World Food Programme, nearly 90,000 families have fled since June.")
    amounts = [a for a in doc._.amounts if a.value == 90000]
    assert amounts and amounts[0].object == "families" and amounts[0].approx == "nearly"
    assert amounts[0].source and "World Food Programme" in amounts[0].source


# ---- issue 18: amounts as a reader reads them

@pytest.mark.parametrize("text,value", [
    ("half dozen", 6), ("a half dozen", 6), ("one-sixth", 0.1667), ("two-thirds", 0.6667), ("a quarter", 0.25),
    ("one and a half million", 1500000),
])
def test_issue_18_fractions_and_half_dozen(extractor, text, value):
    assert extractor._value(text) == value


def test_issue_18_team_name_is_no_amount(make_doc, extractor):
    doc = make_doc("The 49ers beat the visitors by 10km of margin.", ents=[("49ers", "CARDINAL"), ("10km", "QUANTITY")])
    assert [(a.text, a.value) for a in extractor.find(doc)] == [("10km", 10)]


@pytest.mark.parametrize("text,ents,span,low,high", [
    ("Between 10 and 20 people were hurt.", [("Between 10 and 20", "DATE")], "Between 10 and 20", 10, 20),
    ("Some 10,000-15,000 people marched.", [("Some 10,000", "CARDINAL")], "Some 10,000-15,000", 10000, 15000),
    ("Five to seven soldiers died.", [("Five", "CARDINAL"), ("seven", "CARDINAL")], "Five to seven", 5, 7),
    ("It cost $5 to $7 million.", [("$5 to $7 million", "MONEY")], "$5 to $7 million", 5000000, 7000000),
])
def test_issue_18_range_keeps_both_ends(make_doc, extractor, text, ents, span, low, high):
    (amount,) = list(extractor.find(make_doc(text, ents=ents)))
    assert (amount.text, amount.value, amount.value_to) == (span, low, high)


def test_issue_18_year_span_and_score_are_no_range(make_doc, extractor):
    doc = make_doc("Between 2010 and 2015 the score went 10-2.", ents=[("Between 2010 and 2015", "DATE"),
                                                                      ("10-2", "CARDINAL")])
    assert [(a.text, a.value_to) for a in extractor.find(doc)] == [("10-2", None)]

