"""The geopy geocoder over the gazetteer, on its own and driven by geopandas.tools.geocode."""

from __future__ import annotations

import geopandas
import pytest
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from gazetteer import Gazetteer, Place
from gazetteer.geocoder import GazetteerGeocoder


def test_works_with_no_constructor_arguments() -> None:
    coder = GazetteerGeocoder()
    assert isinstance(coder, Geocoder)
    location = coder.geocode("Stepanakert")
    assert isinstance(location, Location)
    assert location.latitude == pytest.approx(39.82, abs=0.01)
    assert location.longitude == pytest.approx(46.75, abs=0.01)
    assert location.raw["id"] == "geonames:146970"
    assert location.raw["kind"] == "PPLA"
    assert location.raw["query"] == "Stepanakert"
    assert 0 < location.raw["score"] <= 1
    assert "Khankendi" in location.address


def test_a_miss_is_none() -> None:
    coder = GazetteerGeocoder()
    assert coder.geocode("Qwertzuiopland") is None
    assert coder.geocode("   ") is None
    assert coder.geocode("Qwertzuiopland", exactly_one=False) is None


def test_exactly_one_false_lists_every_candidate_best_first() -> None:
    locations = GazetteerGeocoder().geocode("Martuni", exactly_one=False)
    assert isinstance(locations, list) and len(locations) >= 3
    assert locations[0].raw["id"] == "geonames:146969"
    assert {loc.raw["id"] for loc in locations} >= {"geonames:616438", "geonames:616437"}
    assert "score" in locations[0].raw and "score" not in locations[1].raw


def test_context_is_passed_through() -> None:
    location = GazetteerGeocoder().geocode("Martuni", context=["Vardenis", "Sevan"])
    assert location.raw["id"] == "geonames:616438"


def test_an_injected_gazetteer_is_used() -> None:
    tiny = Gazetteer.from_places(
        [Place("test:a", "Alpha", 10.0, 20.0, "XX", "", "PPL", 100, "test", ("Alpha",))]
    )
    location = GazetteerGeocoder(gazetteer=tiny).geocode("alpha")
    assert location.point[:2] == (10.0, 20.0)
    assert GazetteerGeocoder(gazetteer=tiny).geocode("Stepanakert") is None


def test_reverse_is_not_offered() -> None:
    with pytest.raises(NotImplementedError, match="reverse geocoding"):
        GazetteerGeocoder().reverse((39.8, 46.7))


def test_geopandas_geocode_uses_the_provider_class() -> None:
    names = ["Stepanakert", "Ganja", "Qwertzuiopland", "Moskwa"]
    frame = geopandas.tools.geocode(names, provider=GazetteerGeocoder)
    assert list(frame.index) == [0, 1, 2, 3]
    assert frame.crs.to_epsg() == 4326
    stepanakert = frame.geometry.iloc[0]
    assert stepanakert.y == pytest.approx(39.82, abs=0.01)  # shapely: y = lat
    assert stepanakert.x == pytest.approx(46.75, abs=0.01)  # x = lon
    assert frame.geometry.iloc[1].y == pytest.approx(40.68, abs=0.01)
    assert frame.geometry.iloc[2].is_empty
    assert frame.address.isna().iloc[2]
    assert frame.geometry.iloc[3].x == pytest.approx(37.62, abs=0.01)


# (query as geopandas users and reports write it, expected place id)
QUERY_FORMS = [
    ("Yerevan, Armenia", "geonames:616052"),
    ("Martuni, Armenia", "geonames:616438"),
    ("Stepanakert, Azerbaijan", "geonames:146970"),
    ("Stepanakert (Khankendi)", "geonames:146970"),
    ("Khankendi/Stepanakert", "geonames:146970"),
    ("Shusha's", "geonames:147105"),
    ("Hadrut region", "rg:AZ:hadrut"),
    ("Shushi region", "admin1:AZ:55"),
]


@pytest.mark.parametrize(("query", "expected"), QUERY_FORMS, ids=[q for q, _ in QUERY_FORMS])
def test_query_forms_are_understood(query: str, expected: str) -> None:
    location = GazetteerGeocoder().geocode(query)
    assert location is not None, query
    assert location.raw["id"] == expected
    assert location.raw["query"] == query
    assert location.raw["reason"].startswith(f"query {query!r} read as ")


def test_geopandas_city_country_strings() -> None:
    frame = geopandas.tools.geocode(
        ["Yerevan, Armenia", "Martuni, Armenia", "Ganja, Azerbaijan"], provider=GazetteerGeocoder
    )
    assert not frame.geometry.is_empty.any()
    assert frame.geometry.iloc[0].y == pytest.approx(40.18, abs=0.01)
    assert frame.geometry.iloc[1].x == pytest.approx(45.30, abs=0.02)  # Gegharkunik's Martuni, not Khojavend
    assert frame.geometry.iloc[2].y == pytest.approx(40.68, abs=0.01)
