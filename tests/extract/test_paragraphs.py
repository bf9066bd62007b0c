"""The breaks the text's layout makes: paragraphs and datelines open sentences before the parser runs."""

from __future__ import annotations

import pytest
import spacy

import newsgraph.extract.paragraphs  # noqa: F401 - registers the component


def starts(text: str) -> list[str]:
    nlp = spacy.blank("en")
    nlp.add_pipe("newsgraph_paragraphs")
    doc = nlp(text)
    return [t.text for t in doc if t.is_sent_start and t.i > 0]


def test_paragraphs_a_blank_line_opens_a_sentence() -> None:
    assert starts("The fund said so, president of the Harbor Fund\n\nCity officials said the ferries would run.") == ["City"]


@pytest.mark.parametrize("dateline", ["BALTIMORE (AP) \u2014 ", "WASHINGTON/ATLANTA (Reuters) - ", "WASHINGTON \u2013 ",
                                      "SAN JUAN, Puerto Rico (AP) \u2014 ", "Kabul (Reuters) - "])
def test_paragraphs_a_dateline_is_no_part_of_the_first_sentence(dateline: str) -> None:
    # the parser made the dateline the subject ("BALTIMORE ... has filed a lawsuit")
    assert starts(dateline + "Harbour Valley University has filed a lawsuit.") == ["Harbour"]


def test_paragraphs_a_dash_in_a_sentence_is_no_dateline() -> None:
    assert starts("The man - who said nothing - left. And the Harbour Fund - the city's own - paid.") == []
