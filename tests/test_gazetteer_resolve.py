"""Homonyms decided by prior and context, the public lookup surface, and a tiny in-memory gazetteer."""

from __future__ import annotations

import pytest

from gazetteer import NO_PRIOR, Gazetteer, Place, PlaceNotFound, Prior, Resolution, fold, load_gazetteer


@pytest.fixture(scope="module")
def gz() -> Gazetteer:
    return load_gazetteer()


# (name, context, countries, expected place id, a word the reason must contain)
HOMONYMS = [
    # Martuni: the Karabakh town (= Khojavend) by the war prior, the Gegharkunik town near Lake Sevan.
    ("Martuni", (), (), "geonames:146969", "corpus region"),
    ("Martuni", ("Stepanakert", "Hadrut"), (), "geonames:146969", "km from"),
    ("Martuni", ("Vardenis", "Sevan"), (), "geonames:616438", "km from"),
    ("Martuni", ("Gavar",), (), "geonames:616438", "km from"),
    # Vardenis: the Gegharkunik town (12,651 people) vs the Aragatsotn hamlet (527).
    ("Vardenis", (), (), "geonames:616108", "population"),
    ("Vardenis", ("Martuni", "Sevan"), (), "geonames:616108", ""),
    ("Vardenis", ("Aparan", "Ashtarak"), (), "geonames:616107", "km from"),
    # Fuzuli: the district town vs the hamlet near Ganja (Shamkir district).
    ("Fuzuli", (), (), "geonames:148106", "population"),
    ("Fuzuli", ("Jabrayil", "Horadiz"), (), "geonames:148106", ""),
    ("Fuzuli", ("Shamkir", "Ganja"), (), "geonames:8630550", "km from"),
    # Town vs its district, capital vs its province, country vs same-named city or US state.
    ("Tartar", (), (), "geonames:584871", "region around"),
    ("Yerevan", (), (), "geonames:616052", ""),
    ("Armenia", (), (), "country:AM", "country"),
    ("Georgia", (), (), "country:GE", "country"),
    # An alternate name that a larger same-country place far away has as its own (GeoNames lists
    # "Gəncə" among Yevlakh's names): the owner wins even next to places near the other reading.
    ("Ganja", ("Mingachevir", "Barda"), (), "geonames:586523", "only as an alternate"),
    ("Gəncə", ("Mingachevir",), (), "geonames:586523", "only as an alternate"),
    ("Hrazdan", ("Masis", "Artashat"), (), "geonames:616629", "only as an alternate"),
    # A country cue picks the Armenian Martuni even without other places.
    ("Martuni", (), ("AM",), "geonames:616438", "points at AM"),
]


@pytest.mark.parametrize(
    ("name", "context", "countries", "expected", "why"),
    HOMONYMS,
    ids=[f"{n}|{','.join(c) or '-'}|{','.join(k) or '-'}" for n, c, k, _, _ in HOMONYMS],
)
def test_homonyms(
    gz: Gazetteer, name: str, context: tuple[str, ...], countries: tuple[str, ...], expected: str, why: str
) -> None:
    resolution = gz.resolve(name, context, countries=countries)
    assert resolution is not None
    assert resolution.place.id == expected, resolution.reason
    assert why in resolution.reason
    assert 0.0 < resolution.score <= 1.0
    assert expected not in {p.id for p in resolution.alternatives}


def test_a_shadowed_alternate_is_still_a_candidate_and_says_so(gz: Gazetteer) -> None:
    how = {place.id: how for place, how in gz.matches("Ganja")}
    assert how["geonames:586523"] == "name"
    assert how["geonames:584649"] == "shadowed"  # Yevlakh
    assert gz.resolve("Yevlakh", ("Ganja",)).place.id == "geonames:584649"


def test_martuni_alternatives_list_the_other_martunis(gz: Gazetteer) -> None:
    resolution = gz.resolve("Martuni")
    assert {p.id for p in resolution.alternatives} >= {"geonames:616438", "geonames:616437"}


def test_context_accepts_places(gz: Gazetteer) -> None:
    sevan = gz.resolve("Sevan").place
    assert gz.resolve("Martuni", [sevan]).place.id == "geonames:616438"


def test_context_of_the_wrong_type_is_refused(gz: Gazetteer) -> None:
    with pytest.raises(TypeError, match="names or Places"):
        gz.resolve("Martuni", [42])  # type: ignore[list-item]


def test_without_the_war_prior_the_bigger_martuni_wins(gz: Gazetteer) -> None:
    plain = load_gazetteer(NO_PRIOR)
    assert plain.resolve("Martuni").place.id == "geonames:616438"
    assert load_gazetteer(NO_PRIOR) is plain  # memoised per prior
    assert gz.resolve("Martuni").place.id == "geonames:146969"


def test_unknown_names_resolve_to_none(gz: Gazetteer) -> None:
    assert gz.resolve("Qwertzuiopland") is None
    assert gz.candidates("Qwertzuiopland") == ()
    assert "Qwertzuiopland" not in gz


def test_candidates_share_the_folded_key(gz: Gazetteer) -> None:
    candidates = gz.candidates("MARTUNI")
    assert len(candidates) >= 3
    assert candidates[0].id == "geonames:146969"
    for place in candidates:
        assert any(fold(n) == "martuni" for n in place.names)


def test_matches_say_how_a_name_reached_each_place(gz: Gazetteer) -> None:
    how = {place.id: kind for place, kind in gz.matches("Martuni")}
    assert how["geonames:616438"] == "name"
    assert how["geonames:146969"] == "alternate"
    assert dict((p.id, k) for p, k in gz.matches("Aghdara"))["rg:AZ:martakert"] == "name"
    assert dict((p.id, k) for p, k in gz.matches("Kelbejer"))["geonames:586268"] == "variant"
    assert gz.matches("Qwertzuiopland") == ()


def test_get_and_missing_ids(gz: Gazetteer) -> None:
    assert gz.get("geonames:146970").name == "Khankendi"
    with pytest.raises(PlaceNotFound, match="no place named 'geonames:0'") as caught:
        gz.get("geonames:0")
    assert isinstance(caught.value, LookupError)


def test_name_keys_are_folded(gz: Gazetteer) -> None:
    keys = set(gz.name_keys())
    assert {"stepanakert", "xankandi", "nagorno karabakh", "moskwa", "amerika serikat"} <= keys
    assert sorted(k for k in keys if fold(k) != k) == []  # every key, not a hash-ordered sample


def test_closest_names_suggest_the_right_spelling(gz: Gazetteer) -> None:
    assert gz.closest_names("Stepanakrt")[0] == "Stepanakert"
    assert len(gz.closest_names("Stepanakrt", limit=3)) == 3


def test_kinds_tell_settlements_regions_and_countries_apart(gz: Gazetteer) -> None:
    assert gz.resolve("Stepanakert").place.is_settlement
    assert gz.resolve("Karabakh").place.is_region
    assert gz.resolve("Rusia").place.is_country
    assert gz.resolve("Yerevan").place.kind == "PPLC"


def test_every_populated_place_of_armenia_and_azerbaijan_is_there(gz: Gazetteer) -> None:
    counts = {"AM": 0, "AZ": 0}
    for place in gz:
        if place.is_settlement and place.country in counts:
            counts[place.country] += 1
    assert counts["AM"] >= 600
    assert counts["AZ"] >= 250


def test_every_place_is_valid_and_sourced(gz: Gazetteer) -> None:
    ids = set()
    for place in gz:
        assert place.source, place
        assert place.id not in ids
        ids.add(place.id)
    assert len(ids) > 30_000


# -- a tiny in-memory gazetteer: the scoring rules on their own -----------------------------

TINY = [
    Place("test:big", "Alpha", 40.0, 45.0, "AM", "North", "PPL", 50_000, "test", ("Alpha", "Alfa")),
    Place("test:small", "Alpha", 39.8, 46.8, "AZ", "South", "PPL", 600, "test", ("Alpha",)),
    Place("test:near-small", "Beta", 39.81, 46.75, "AZ", "South", "PPL", 900, "test", ("Beta",)),
    Place("test:land", "Gamma", 41.0, 44.0, "GE", "", "country", 3_000_000, "test", ("Gamma",)),
    Place("test:gamma-town", "Gamma", 41.5, 44.5, "GE", "", "PPL", 20_000, "test", ("Gamma",)),
]


@pytest.fixture
def tiny() -> Gazetteer:
    return Gazetteer.from_places(TINY, NO_PRIOR)


def test_tiny_population_decides_without_context(tiny: Gazetteer) -> None:
    resolution = tiny.resolve("alpha")
    assert isinstance(resolution, Resolution)
    assert resolution.place.id == "test:big"
    assert "population 50,000" in resolution.reason
    assert resolution.alternatives[0].id == "test:small"


def test_tiny_context_overrides_population(tiny: Gazetteer) -> None:
    assert tiny.resolve("Alpha", ["Beta"]).place.id == "test:small"


def test_tiny_prior_overrides_population(tiny: Gazetteer) -> None:
    near_prior = tiny.with_prior(Prior(countries=("AZ",), focus=(39.8, 46.8)))
    assert near_prior.resolve("Alpha").place.id == "test:small"


def test_tiny_country_beats_same_named_town(tiny: Gazetteer) -> None:
    assert tiny.resolve("Gamma").place.is_country


def test_tiny_alternate_name(tiny: Gazetteer) -> None:
    assert tiny.resolve("ALFA").place.id == "test:big"


def test_prior_validates_its_values() -> None:
    with pytest.raises(ValueError, match="focus must be"):
        Prior(focus=(146.0, 39.0))
    with pytest.raises(ValueError, match="focus_radius_km"):
        Prior(focus_radius_km=0)


def test_place_validates_its_values() -> None:
    with pytest.raises(ValueError, match=r"expected lat in \[-90, 90\], got 146.7"):
        Place("test:x", "X", 146.7, 39.8)
    with pytest.raises(ValueError, match="unknown kind 'town'"):
        Place("test:x", "X", 39.8, 46.7, kind="town")
    with pytest.raises(ValueError, match="source:key"):
        Place("x", "X", 39.8, 46.7)
    with pytest.raises(ValueError, match="expected score in"):
        Resolution(Place("test:x", "X", 39.8, 46.7), 1.5)


# -- a place of the corpus region against a far foreign city that has its name only as an alternate --

# (name, context, expected place id, words the reason must contain)
FOREIGN_ALTERNATES = [
    ("Talin", (), "geonames:616187", "Tallinn (EE) has this name only among its alternate names"),
    ("Argel", (), "geonames:616912", "Algiers (DZ) has this name only among its alternate names"),
    ("Madina", (), "geonames:616456", "Madinah (SA) has this name only among its alternate names"),
    ("Karin", (), "geonames:8332820", "Erzurum (TR) has this name only among its alternate names"),
    # the knock-on: Talin anchored in Estonia made Gegharkunik's Vardenis win next to Ashtarak and Talin
    ("Vardenis", ("Ashtarak", "Talin"), "geonames:616107", "km from Ashtarak"),
]


@pytest.mark.parametrize(
    ("name", "context", "expected", "why"),
    FOREIGN_ALTERNATES,
    ids=[f"{n}|{','.join(c) or '-'}" for n, c, _, _ in FOREIGN_ALTERNATES],
)
def test_a_town_of_the_region_beats_a_far_city_that_has_its_name_only_as_an_alternate(
    gz: Gazetteer, name: str, context: tuple[str, ...], expected: str, why: str
) -> None:
    resolution = gz.resolve(name, context)
    assert resolution.place.id == expected, resolution.reason
    assert why in resolution.reason


# Exonyms and names of far cities that must keep their usual reading (curated Indonesian exonyms,
# GeoNames alternates with no Armenian/Azerbaijani place of that own name, and the far cities above
# under their own names).
FAR_READINGS = [
    ("Moskwa", "RU"),
    ("Jenewa", "CH"),
    ("Ankara", "TR"),
    ("Teheran", "IR"),
    ("Washington", "US"),
    ("Paris", "FR"),
    ("Gaza", "PS"),
    ("Kyiv", "UA"),
    ("Kiev", "UA"),
    ("Tiflis", "GE"),
    ("Wina", "AT"),
    ("Kairo", "EG"),
    ("Yerusalem", "IL"),
    ("Damaskus", "SY"),
    ("Tallinn", "EE"),
    ("Algiers", "DZ"),
    ("Erzurum", "TR"),
    ("Madinah", "SA"),
]


@pytest.mark.parametrize(("name", "country"), FAR_READINGS, ids=[n for n, _ in FAR_READINGS])
def test_exonyms_of_far_cities_keep_their_usual_reading(gz: Gazetteer, name: str, country: str) -> None:
    place = gz.resolve(name).place
    assert place.is_settlement and place.country == country, place


def test_every_own_name_of_an_armenian_or_azerbaijani_place_resolves_to_one(gz: Gazetteer) -> None:
    names = sorted({place.name for place in gz if place.country in ("AM", "AZ")})
    assert len(names) >= 950  # 901 settlement names, the regions and the two countries
    elsewhere = {
        name: f"{place.name} ({place.country})"
        for name in names
        if (place := gz.resolve(name).place).country not in ("AM", "AZ")
    }
    assert elsewhere == {}


def test_tiny_foreign_alternate_yields_to_a_home_place_unless_the_text_points_abroad() -> None:
    places = [
        Place("test:home", "Talin", 40.4, 43.9, "AM", "", "PPL", 4_500, "test", ("Talin",)),
        Place("test:capital", "Tallinn", 59.4, 24.7, "EE", "", "PPLC", 400_000, "test", ("Tallinn", "Talin")),
    ]
    home = Gazetteer.from_places(places, Prior(countries=("AM",), focus=None))
    assert home.resolve("Talin").place.id == "test:home"
    assert home.resolve("Talin", countries=["EE"]).place.id == "test:capital"  # the cue cancels the term
    assert home.resolve("Tallinn").place.id == "test:capital"
    assert Gazetteer.from_places(places, NO_PRIOR).resolve("Talin").place.id == "test:capital"


# -- query forms: "City, Country", two names, possessives, "X region" ------------------------------

# (query, expected place id, words the reason must contain)
QUERIES = [
    ("Yerevan, Armenia", "geonames:616052", "country cue from ', Armenia'"),
    ("Martuni, Armenia", "geonames:616438", "country cue from ', Armenia'"),
    ("Martuni (Armenia)", "geonames:616438", "country cue from '(Armenia)'"),
    ("Martuni, Azerbaijan", "geonames:146969", "country cue from ', Azerbaijan'"),
    ("Martuni, Gegharkunik", "geonames:616438", "context from ', Gegharkunik'"),
    ("Martuni, Nagorno-Karabakh", "geonames:146969", "context from ', Nagorno-Karabakh'"),
    ("Martuni, Gegharkunik, Armenia", "geonames:616438", "country cue from ', Armenia'"),
    (
        "Stepanakert, Armenia",
        "geonames:146970",
        "country cue from ', Armenia' ignored: no 'Stepanakert' in AM",
    ),
    ("Moskwa, Rusia", "geonames:524901", "country cue from ', Rusia'"),
    ("Stepanakert (Khankendi)", "geonames:146970", "'Stepanakert' and 'Khankendi' name the same place"),
    ("Khankendi/Stepanakert", "geonames:146970", "'Khankendi' and 'Stepanakert' name the same place"),
    ("Shusha's", "geonames:147105", 'possessive "\'s" dropped'),
    ("Shusha’s", "geonames:147105", "possessive '’s' dropped"),
    ("Nagorno-Karabakh's", "curated:nagorno-karabakh", "possessive"),
    ("Hadrut region", "rg:AZ:hadrut", "no region named 'Hadrut' in the gazetteer: the town Hadrut"),
    (
        "Martakert region",
        "rg:AZ:martakert",
        "no region named 'Martakert' in the gazetteer: the town Martakert",
    ),
    (
        "Aghdara district",
        "rg:AZ:martakert",
        "no district named 'Aghdara' in the gazetteer: the town Martakert",
    ),
    ("Shushi region", "admin1:AZ:55", "the region of 'Shushi': Shusha District, named after Shusha"),
    ("Martuni region", "admin1:AZ:65", "the region of 'Martuni': Khojavend District"),
    ("distrik Lachin", "admin1:AZ:28", "the distrik of 'Lachin'"),
    # Syunik Province is not named after Kapan (GeoNames gives both the alternate name "Zangezur")
    ("Kapan region", "geonames:174875", "no region named 'Kapan'"),
]


@pytest.mark.parametrize(("query", "expected", "why"), QUERIES, ids=[q for q, _, _ in QUERIES])
def test_query_forms_resolve_and_say_what_was_understood(
    gz: Gazetteer, query: str, expected: str, why: str
) -> None:
    resolution = gz.resolve(query)
    assert resolution is not None, query
    assert resolution.place.id == expected, resolution.reason
    assert resolution.reason.startswith(f"query {query!r} read as ")
    assert why in resolution.reason
    assert expected not in {p.id for p in resolution.alternatives}


def test_a_country_cue_keeps_the_other_candidates_as_alternatives(gz: Gazetteer) -> None:
    resolution = gz.resolve("Martuni, Armenia")
    assert "geonames:146969" in {p.id for p in resolution.alternatives}


@pytest.mark.parametrize("query", ["Qwertzuiopland, Armenia", ", Armenia", "(", "", "   "])
def test_queries_without_a_known_place_name_miss(gz: Gazetteer, query: str) -> None:
    assert gz.resolve(query) is None


# Names that are known as a whole are never split: the region's own names, not a town's region.
WHOLE_NAMES = [
    ("Karabakh region", "curated:nagorno-karabakh"),
    ("Tartar Region", "admin1:AZ:57"),
    ("Kalbajar District", "admin1:AZ:26"),
    ("Syunik Province", "admin1:AM:08"),
]


@pytest.mark.parametrize(("name", "expected"), WHOLE_NAMES, ids=[n for n, _ in WHOLE_NAMES])
def test_known_names_are_not_read_as_queries(gz: Gazetteer, name: str, expected: str) -> None:
    resolution = gz.resolve(name)
    assert resolution.place.id == expected
    assert not resolution.reason.startswith("query")


def test_context_names_may_be_queries_too(gz: Gazetteer) -> None:
    assert gz.resolve("Martuni", ["Gavar, Armenia"]).place.id == "geonames:616438"


# -- "did you mean": names as written, never folded keys ------------------------------------------

# (a miss, a folded key or lower-case romanisation that must not be suggested)
SUGGESTIONS = [("Stepanakrt", "stepani"), ("Arumenya", "arumenia"), ("Stepanakrt, Armenia", "stepani")]


@pytest.mark.parametrize(("name", "never"), SUGGESTIONS, ids=[n for n, _ in SUGGESTIONS])
def test_closest_names_are_display_names(gz: Gazetteer, name: str, never: str) -> None:
    suggestions = gz.closest_names(name)
    assert suggestions and never not in suggestions
    assert all(s[:1].isupper() for s in suggestions), suggestions


@pytest.mark.parametrize("name", ["", "   "])
def test_blank_text_has_no_closest_names(gz: Gazetteer, name: str) -> None:
    assert gz.closest_names(name) == []
