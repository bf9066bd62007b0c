"""Entities: cleaning, merging short forms and handles, labels across the article, roles."""

from __future__ import annotations

import pytest

from newsgraph.extract.entities import EntityExtractor, initials, is_acronym, make_entity_extractor


@pytest.fixture(scope="module")
def extractor(nlp_blank) -> EntityExtractor:
    return make_entity_extractor(nlp_blank, "newsgraph_entities", ["PERSON", "ORG", "GPE", "NORP"],
                                 "entity_labels.tsv", "role_nouns.tsv", True, 20)


def by_name(entities):
    return {e.name: e for e in entities}


def test_entities_short_forms_join_full_name(make_doc, extractor):
    text = "Rana Obeid spoke first. Later Obeid left, and Rana waved."
    doc = make_doc(text)
    doc.ents = [doc.char_span(0, 10, label="PERSON"), doc.char_span(30, 35, label="PERSON"),
                doc.char_span(46, 50, label="GPE")]
    ents = list(extractor.find(doc))
    assert [e.name for e in ents] == ["Rana Obeid"]
    assert ents[0].label == "PERSON"
    assert len(ents[0].mentions) == 3
    assert ents[0].id == "local:0"


def test_entities_possessive_and_the_stripped(make_doc, extractor):
    text = "The Ministry of Ports's plan worried the Ministry of Ports staff."
    doc = make_doc(text, ents=[("The Ministry of Ports's", "ORG")])
    ents = list(extractor.find(doc))
    assert ents[0].name == "Ministry of Ports"
    # the later, untagged occurrence is found too
    assert len(ents[0].mentions) == 2


def test_entities_label_consistent_across_article(make_doc, extractor):
    text = "Velmora said no. Velmora said yes. Velmora left."
    doc = make_doc(text)
    spans = [doc.char_span(i, i + 7, label=lab) for i, lab in zip((0, 17, 35), ("PERSON", "GPE", "PERSON"), strict=True)]
    doc.ents = spans
    ents = list(extractor.find(doc))
    assert len(ents) == 1 and ents[0].label == "PERSON" and len(ents[0].mentions) == 3


def test_entities_platform_label_fixed(make_doc, extractor):
    doc = make_doc("She posted it on Twitter.", ents=[("Twitter", "PERSON")])
    assert list(extractor.find(doc))[0].label == "ORG"


def test_entities_handle_joins_display_name(make_doc, extractor):
    text = "A reply came. \u2014 Dara Quill \U0001F499 (@dquill_99) May 2, 2020"
    doc = make_doc(text, ents=[("Dara Quill", "PERSON")])
    ent = list(extractor.find(doc))[0]
    start = text.index("@dquill_99")
    assert [start, start + len("@dquill_99")] in ent.mentions


def test_entities_handle_matches_name_parts(make_doc, extractor):
    text = "Tomas Verhoek wrote. Follow @VerhoekTomas for more."
    doc = make_doc(text, ents=[("Tomas Verhoek", "PERSON")])
    ent = list(extractor.find(doc))[0]
    assert len(ent.mentions) == 2


def test_entities_acronym_joins_long_form(make_doc, extractor):
    text = "The World Weather Council met. The WWC said so."
    doc = make_doc(text, ents=[("World Weather Council", "ORG"), ("WWC", "ORG")])
    ents = list(extractor.find(doc))
    assert [e.name for e in ents] == ["World Weather Council"]


def test_entities_two_people_same_surname_stay_apart(make_doc, extractor):
    text = "Ana Brill met Theo Brill. Later Brill spoke."
    doc = make_doc(text, ents=[("Ana Brill", "PERSON"), ("Theo Brill", "PERSON"), ("Brill spoke", "PERSON")])
    doc.ents = [e if e.text != "Brill spoke" else doc.char_span(e.start_char, e.start_char + 5, label="PERSON")
                for e in doc.ents]
    ents = by_name(extractor.find(doc))
    assert set(ents) == {"Ana Brill", "Theo Brill"}
    # the lone surname goes to the nearest person named before it
    assert len(ents["Theo Brill"].mentions) == 2


@pytest.mark.parametrize("name,expected", [("UN High Commissioner for Refugees", "uhcr"),
                                           ("World Health Organization", "who")])
def test_entities_initials(name, expected):
    assert initials(name) == expected


def test_entities_is_acronym():
    assert is_acronym("UNHCR") and is_acronym("U.N.") and not is_acronym("Kabul")


@pytest.mark.model
@pytest.mark.parametrize("text,name,role", [
    ("Iranian journalist and activist Masud Kerani posted the video on Friday.", "Masud Kerani",
     "journalist and activist"),
    ("\"It is over,\" Omar Saleh, the spokesman for the group's political office, told reporters.", "Omar Saleh",
     "spokesman for the group's political office"),
    ("Lina Farouk was the first woman to be appointed as the director-general of the national film agency.",
     "Lina Farouk", "director-general"),
    # a body's name holding "and" stays whole in the title
    ("The former Harbour and Fisheries Secretary Lina Farouk spoke on Monday.", "Lina Farouk",
     "Harbour and Fisheries Secretary"),
])
def test_entities_roles(extract_text, text, name, role):
    doc = extract_text(text)
    ents = by_name(doc._.entities)
    assert name in ents, [e.name for e in doc._.entities]
    assert any(role in r for r in ents[name].roles), ents[name].roles
    # each role says where it was read: its span holds exactly its words
    assert len(ents[name].role_spans) == len(ents[name].roles)
    for r, (start, end) in zip(ents[name].roles, ents[name].role_spans, strict=True):
        assert text[start:end] == r


@pytest.mark.model
def test_entities_roles_never_from_handles_or_post_text(extract_text):
    text = ("Kemal Oduya, @kemal_oduya_news, posted the clip on Tuesday. "
            "Analyst Petra Lindqvist said the clip was real.")
    ents = by_name(extract_text(text)._.entities)
    for e in ents.values():
        assert not any("@" in r or "#" in r for r in e.roles), e.roles
    if "Petra Lindqvist" in ents:
        assert all(text[s:t] == r for r, (s, t) in zip(ents["Petra Lindqvist"].roles,
                                                       ents["Petra Lindqvist"].role_spans, strict=True))


@pytest.mark.parametrize("name,junk", [
    ("Dana Holt Dana HoltGOP", True), ("Rosa Imre Rosa Imre Vance", True), ("Tomas KettleThe Senate", True),
    ("Mayor Says No To Plan", True), ("Related Dana Holt", True), ("Dana Holt Here", True),
    ("Dana Holt", False), ("Ryan MacArthur", False), ("Bank of Avalon", False), ("Twitter Pinterest", True),
    ("Facebook Twitter Pinterest", True),
])
def test_entities_junk_spans(name, junk):
    from newsgraph.extract.entities import is_junk_name
    assert is_junk_name(name) is junk


def test_entities_junk_span_is_no_mention_and_jr_stays_apart(make_doc, extractor):
    text = ("Dana Holt Dana HoltGOP leaders meet.\nDana Holt Jr. spoke. Dana Holt listened. Holt left. "
            "Ken Wirt Photographer")
    doc = make_doc(text)
    spans = [("Dana Holt Dana HoltGOP", 0), ("Dana Holt Jr.", text.index("Dana Holt Jr.")),
             ("Dana Holt", text.index("Dana Holt listened")), ("Holt", text.index("Holt left")),
             ("Ken Wirt Photographer", text.index("Ken Wirt"))]
    doc.ents = [doc.char_span(s, s + len(n), label="PERSON") for n, s in spans]
    ents = by_name(extractor.find(doc))
    assert set(ents) == {"Dana Holt Jr.", "Dana Holt", "Ken Wirt"}, set(ents)
    # "Holt" joins the father named last before it, never because "Dana Holt" begins "Dana Holt Jr."
    assert len(ents["Dana Holt"].mentions) == 2 and len(ents["Dana Holt Jr."].mentions) == 1


def test_entities_title_makes_a_person_of_an_org_tag(make_doc, extractor):
    # the small model tags some unfamiliar names ORG; a job title right before the name says person
    text = "Head librarian Ilse Brannvik opened the doors. The Harbor Trust paid."
    doc = make_doc(text, ents=[("Ilse Brannvik", "ORG"), ("Harbor Trust", "ORG")])
    pos = {"Head": "PROPN", "librarian": "NOUN", "The": "DET", "opened": "VERB", "paid": "VERB", "doors": "NOUN",
           "the": "DET", ".": "PUNCT"}
    for tok in doc:
        tok.pos_ = pos.get(tok.text, "PROPN")
    ents = by_name(extractor.find(doc))
    assert ents["Ilse Brannvik"].label == "PERSON"
    assert "Head librarian" in ents["Ilse Brannvik"].roles[0]
    assert ents["Harbor Trust"].label == "ORG"


def test_entities_untagged_name_written_twice_mid_sentence_is_found(make_doc, nlp_blank):
    """A run of capitalised proper nouns the model never tagged, written twice mid-sentence, is a name; a title
    ("Attorney General") and a run of common words ("Climate Change") are not."""
    extractor = make_entity_extractor(nlp_blank, "newsgraph_entities", ["PERSON", "ORG"], "entity_labels.tsv",
                                      "role_nouns.tsv", True, 20)
    text = ("Owners of Velmora Browser saw the fault. The Attorney General said Climate Change mattered. "
            "Users of Velmora Browser and the Attorney General spoke of Climate Change again.")
    doc = make_doc(text)
    proper = {"Velmora", "Browser", "Attorney", "General", "Climate", "Change"}
    for tok in doc:
        tok.pos_ = "PROPN" if tok.text in proper else ("PUNCT" if tok.is_punct else "NOUN" if tok.text[0].islower()
                                                       else "X")
        tok.is_sent_start = tok.i == 0 or doc[tok.i - 1].text == "."
    ents = list(extractor.find(doc))
    assert [(e.name, len(e.mentions)) for e in ents] == [("Velmora Browser", 2)]
    off = make_entity_extractor(nlp_blank, "newsgraph_entities", ["PERSON", "ORG"], "entity_labels.tsv",
                                "role_nouns.tsv", True, 20, repeated_names=False)
    assert list(off.find(doc)) == []


def test_entities_spans_running_two_names_together_are_mended(make_doc, extractor):
    """A word glued before a person's name the article writes alone is dropped; "A and B" of two names the
    article writes is two mentions."""
    text = ("Teodor Vance met Ilse Marr. Later Senate Teodor Vance spoke, and Vance and Marr left.")
    doc = make_doc(text)
    doc.ents = [doc.char_span(0, 12, label="PERSON"), doc.char_span(17, 26, label="PERSON"),
                doc.char_span(34, 53, label="ORG"), doc.char_span(65, 79, label="ORG")]
    ents = {e.name: [text[s:t] for s, t in e.mentions] for e in extractor.find(doc)}
    assert ents == {"Teodor Vance": ["Teodor Vance", "Teodor Vance", "Vance"], "Ilse Marr": ["Ilse Marr", "Marr"]}


def test_entities_a_person_and_a_place_run_together_are_two_mentions(make_doc, extractor):
    """"Quarn and Vance" tagged as one organisation, where the article writes Quarn alone (a place) and Vance is
    the surname of a person it names in full: two mentions, each with its own name."""
    text = "Teodor Vance flew to Quarn. Quarn and Vance signed the deal."
    doc = make_doc(text)
    doc.ents = [doc.char_span(0, 12, label="PERSON"), doc.char_span(21, 26, label="GPE"),
                doc.char_span(28, 43, label="ORG")]
    ents = {(e.name, e.label): [text[s:t] for s, t in e.mentions] for e in extractor.find(doc)}
    assert ents == {("Teodor Vance", "PERSON"): ["Teodor Vance", "Vance"], ("Quarn", "GPE"): ["Quarn", "Quarn"]}


@pytest.mark.model
@pytest.mark.parametrize("text,name,bad", [
    # a dateline before the title
    ("OSLOVIK - President Marta Quell signed the harbour bill on Monday.", "Marta Quell", "OSLOVIK"),
    # a video player's button text before the title
    ("CLOSE Governor Marta Quell spoke in Duvrin on Monday about the harbour bill.", "Marta Quell", "CLOSE"),
    # a noun of the sentence, not of the name: the verb's object, a relative clause's head
    ("Lawmakers voted to impeach President Marta Quell on Monday.", "Marta Quell", "impeach"),
    ("He praised the harbour plan President Marta Quell signed on Friday.", "Marta Quell", "plan"),
    # a verb the tagger called a proper noun; another name joined by "and"
    ("The House voted Wednesday night to impeach President Mark Dillon, making him only the third.",
     "Mark Dillon", "impeach"),
    ("Talks stalled over Oslovik and Harbour Speaker Marta Quell said Sunday that it was wrong.", "Marta Quell",
     "Oslovik"),
])
def test_entities_roles_are_the_names_own_words(extract_text, text, name, bad):
    """A role is what the words next to the name say of that person: never a dateline or page furniture before
    it, nor a noun of the sentence that the name does not own."""
    ents = by_name(extract_text(text)._.entities)
    assert name in ents, list(ents)
    assert not any(bad.casefold() in r.casefold() for r in ents[name].roles), ents[name].roles


@pytest.mark.model
def test_entities_apposition_belongs_to_the_name_beside_it(extract_text):
    text = "Marta Quell named Ivo Brandt, the commissioner of the harbour authority, as her deputy."
    ents = by_name(extract_text(text)._.entities)
    assert not any("commissioner" in r for r in ents["Marta Quell"].roles), ents["Marta Quell"].roles


def test_entities_a_surname_is_no_short_form_of_a_things_name_it_opens(make_doc, extractor):
    """A person's surname joins the person, not a longer name the model tagged PERSON that it merely opens: a
    building's or an office's name ("the Vexley White House") or two surnames run together ("Vexley Quorn")."""
    text = ("Ada Vexley spoke. Aides of the Vexley White House left, and the Vexley Quorn ticket won. "
            "Vexley smiled. Bo Quorn waved.")
    doc = make_doc(text)
    spans = [("Ada Vexley", 0), ("Vexley White House", text.index("Vexley White")),
             ("Vexley Quorn", text.index("Vexley Quorn")), ("Vexley", text.index("Vexley smiled")),
             ("Bo Quorn", text.index("Bo Quorn"))]
    doc.ents = [doc.char_span(s, s + len(n), label="PERSON") for n, s in spans]
    ents = {e.name: (e.label, [text[s:t] for s, t in e.mentions]) for e in extractor.find(doc)}
    assert ents["Ada Vexley"] == ("PERSON", ["Ada Vexley", "Vexley"]), ents
    assert ents["Vexley White House"][0] == "ORG"


def test_entities_headline_words_after_a_name_are_cut(make_doc, extractor):
    """A span running a headline's words on after a name the article writes alone is that name."""
    text = "Ilse Marr Thinks Harbour Tolls Work, a column. Ilse Marr wrote it."
    doc = make_doc(text, ents=[("Ilse Marr Thinks Harbour", "PERSON")])
    doc.ents = [*doc.ents, doc.char_span(text.rindex("Ilse Marr"), text.rindex("Ilse Marr") + 9, label="PERSON")]
    ents = {e.name: [text[s:t] for s, t in e.mentions] for e in extractor.find(doc)}
    assert ents == {"Ilse Marr": ["Ilse Marr", "Ilse Marr"]}, ents

