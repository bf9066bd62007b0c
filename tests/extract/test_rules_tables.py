"""Rules tables: an empty word list is refused, not compiled into a pattern that matches everywhere (issue 21)."""

from __future__ import annotations

import re

import pytest

from newsgraph.data import alternation
from newsgraph.errors import ConfigError
from newsgraph.extract.amounts import AmountExtractor


@pytest.mark.parametrize("words", [[], [""], ["said", "  "]])
def test_rules_table_empty_words_refused(words):
    with pytest.raises(ConfigError) as caught:
        alternation(words, "cues.json")
    assert caught.value.code == "NG504" and "cues.json" in caught.value.text


def test_rules_table_alternation_longest_first():
    pattern = re.compile(rf"\b(?:{alternation(['post', 'posted', 'a.b'], 't')})\b")
    assert pattern.search("she posted it")[0] == "posted"
    assert not pattern.search("axb")


def test_rules_table_empty_hedges_refused():
    with pytest.raises(ConfigError):
        AmountExtractor(hedges={}, numbers={})
