"""Page furniture in article text: found, blanked for the parser, the record's text kept verbatim."""

from __future__ import annotations

import pytest

from newsgraph.extract.boilerplate import blanked, furniture

TEXT = ("The mayor said the bridge would reopen.\n"
        "Related: Five things to know about the old bridge\n"
        "READ MORE\n"
        "(Jane Doe/Getty Images)\n"
        "Advertisement\n"
        "She said council member Tom Reed Thomas Alan ReedCouncil votes on budget Reed asks for audit MORE agreed.\n"
        "More than 200 people came to the meeting on Monday.")


def test_boilerplate_lines_and_inline_links_found() -> None:
    found = [TEXT[s:e] for s, e in furniture(TEXT)]
    assert found == ["Related: Five things to know about the old bridge", "READ MORE", "(Jane Doe/Getty Images)",
                     "Advertisement", "Thomas Alan ReedCouncil votes on budget Reed asks for audit MORE"]


def test_boilerplate_blanked_keeps_offsets_and_prose() -> None:
    out = blanked(TEXT)
    assert len(out) == len(TEXT) and out.count("\n") == TEXT.count("\n")
    assert "Related" not in out and "Getty" not in out and "audit" not in out
    # prose stays, "More than 200 people" included: a line opening with "More" is no link line
    assert "The mayor said the bridge would reopen." in out and "More than 200 people came" in out
    assert "She said council member Tom Reed" in out and out.rstrip().endswith("on Monday.")


@pytest.mark.model
def test_boilerplate_kept_out_of_extraction(tmp_path) -> None:
    from newsgraph.config import load_settings
    from newsgraph.extract.pipeline import ArticleExtractor
    from newsgraph.records import Article

    text = ("Officials said the new bridge would open in May.\n\n"
            "Related: Senator Kay Mills says the old bridge must go\n\n"
            "The council will meet again on Monday.")
    (record,) = ArticleExtractor(load_settings()).extract_batch([Article(doc_id="b", text=text, source="b")])
    assert record.text == text  # verbatim
    assert not any("old bridge must go" in q.text for q in record.quotes)
    assert "Kay Mills" not in {e.name for e in record.entities}


@pytest.mark.parametrize("card", [
    "Rep. Dana Holt Dana (Dee) Marie HoltGOP leaders meet on budget Holt backs farm bill MORE",  # all-caps word fused
    "Sen. Ray Ortiz Ray Ortiz2024 hopefuls court farmers Ortiz speaks in Iowa MORE",  # a number fused
    "Mayor Lina de Vries Lina de Vries Vries allies push school plan Council delays vote MORE",  # spaced, particle
])
def test_boilerplate_person_link_cards(card: str) -> None:
    text = f"The plan was backed by {card} on Tuesday.\nShe said the council will vote again in June."
    found = [text[s:e] for s, e in furniture(text)]
    assert len(found) == 1 and found[0].endswith("MORE") and not found[0].startswith(("Rep", "Sen", "Mayor"))
    assert "She said the council" in blanked(text)
