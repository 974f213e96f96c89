"""Front-line villages of 2020 that no GeoNames package ships: resolved, placed, not hijacking homonyms."""

from __future__ import annotations

import math
import re

import pytest

from gazetteer import Gazetteer, load_gazetteer
from gazetteer.build import data_dir
from gazetteer.table import read_places
from mapapp.pipeline.language import LANGUAGE_STOPWORDS


@pytest.fixture(scope="module")
def gz() -> Gazetteer:
    return load_gazetteer()


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 12742.0 * math.asin(math.sqrt(a))


# (name as a report writes it, reference point from the cited article, district) — the spellings
# include Azerbaijani, Russian-era and Armenian forms, so names and generated variants are tested too.
VILLAGES = [
    ("Mehdili", (39.38083, 47.27528), "Jabrayil District"),
    ("Ashaghi Maralyan", (39.34528, 47.21806), "Jabrayil District"),
    ("Aşağı Maralyan", (39.34528, 47.21806), "Jabrayil District"),
    ("Yukhari Maralyan", (39.33361, 47.19611), "Jabrayil District"),
    ("Sheybey", (39.39306, 47.19278), "Jabrayil District"),
    ("Guyjag", (39.40444, 47.15750), "Jabrayil District"),
    ("Boyuk Marjanli", (39.36111, 47.24694), "Jabrayil District"),
    ("Böyük Mərcanlı", (39.36111, 47.24694), "Jabrayil District"),
    ("Nuzgar", (39.41667, 47.22361), "Jabrayil District"),
    ("Khalafli", (39.34583, 47.02972), "Jabrayil District"),
    ("Fuganli", (39.35778, 47.08722), "Jabrayil District"),
    ("Suleymanli", (39.46583, 47.06333), "Jabrayil District"),
    ("Jojug Marjanli", (39.39111, 47.29806), "Jabrayil District"),
    ("Alkhanli", (39.60000, 47.38667), "Fuzuli District"),
    ("Chayli", (40.33639, 46.82278), "Tartar District"),
    ("Talish", (40.38139, 46.74083), "Tartar District"),
    ("Madagiz", (40.33139, 46.72944), "Tartar District"),
    ("Shosh", (39.77000, 46.78472), "Khojaly District"),
    ("Shushikend", (39.77000, 46.78472), "Khojaly District"),
    ("Khtsaberd", (39.54583, 46.77083), "Khojavend District"),
    ("Chaylaggala", (39.54583, 46.77083), "Khojavend District"),
    ("Haykazyan", (39.29139, 46.66889), "Qubadlı District"),
    ("Aghband", (38.90000, 46.56667), "Zangilan District"),
    ("Karkhulu", (39.34444, 47.19500), "Jabrayil District"),
    ("Shukurbeyli", (39.31694, 47.14306), "Jabrayil District"),
    ("Hin Tagher", (39.50750, 46.82361), "Khojavend District"),
    ("Köhnə Tağlar", (39.50750, 46.82361), "Khojavend District"),
    ("Garghabazar", (39.53972, 47.15639), "Fuzuli District"),
    ("Zoğalbulaq", (39.62806, 47.00167), "Khojavend District"),
    ("Madatashen", (39.69833, 46.84278), "Khojaly District"),
    ("Charakan", (39.41139, 47.06500), "Jabrayil District"),
    ("Khorovlu", (39.40000, 47.09472), "Jabrayil District"),
    ("Hakaku", (39.55139, 46.95222), "Khojavend District"),
    # Villages named in the 2020 bulletins and reports, each in its Azerbaijani, Armenian, Russian
    # and English spellings.
    ("Khramort", (40.00528, 46.81722), "Khojaly District"),
    ("Pirlər", (40.00528, 46.81722), "Khojaly District"),
    ("Խրամորթ", (40.00528, 46.81722), "Khojaly District"),
    ("Храморт", (40.00528, 46.81722), "Khojaly District"),
    ("Derzili", (39.16444, 46.87333), "Jabrayil District"),
    ("Dərzili", (39.16444, 46.87333), "Jabrayil District"),
    ("Дерзили", (39.16444, 46.87333), "Jabrayil District"),
    ("Garajalli", (39.47028, 47.09111), "Jabrayil District"),
    ("Qaracallı", (39.47028, 47.09111), "Jabrayil District"),
    ("Караджаллы", (39.47028, 47.09111), "Jabrayil District"),
    ("Karakollu", (39.48861, 47.11778), "Fuzuli District"),
    ("Qarakollu", (39.48861, 47.11778), "Fuzuli District"),
    ("Каракёллу", (39.48861, 47.11778), "Fuzuli District"),
    ("Chiragli", (40.12472, 47.02611), "Aghdam District"),
    ("Çıraqlı", (40.12472, 47.02611), "Aghdam District"),
    ("Чырахлы", (40.12472, 47.02611), "Aghdam District"),
    ("Taghaser", (39.51889, 47.01167), "Khojavend District"),
    ("Tağaser", (39.51889, 47.01167), "Khojavend District"),
    ("Թաղասեռ", (39.51889, 47.01167), "Khojavend District"),
    ("Тагасер", (39.51889, 47.01167), "Khojavend District"),
    ("Bulutan", (39.53722, 47.08028), "Khojavend District"),
    ("Pletants", (39.53722, 47.08028), "Khojavend District"),
    ("Պլեթանց", (39.53722, 47.08028), "Khojavend District"),
    ("Булутан", (39.53722, 47.08028), "Khojavend District"),
    ("Malikjanly", (39.52639, 47.07972), "Khojavend District"),
    ("Məlikcanlı", (39.52639, 47.07972), "Khojavend District"),
    ("Melikashen", (39.52639, 47.07972), "Khojavend District"),
    ("Մելիքաշեն", (39.52639, 47.07972), "Khojavend District"),
    ("Kurdlar", (39.54139, 47.20111), "Fuzuli District"),
    ("Kürdlər", (39.54139, 47.20111), "Fuzuli District"),
    ("Кюрдлер", (39.54139, 47.20111), "Fuzuli District"),
    ("Abilja", (39.21500, 46.70556), "Qubadlı District"),
    ("Əbilcə", (39.21500, 46.70556), "Qubadlı District"),
    ("Vardabats", (39.21500, 46.70556), "Qubadlı District"),
    ("Абилджа", (39.21500, 46.70556), "Qubadlı District"),
    ("Mets Shen", (39.65833, 46.60194), "Shusha District"),
    ("Böyük Qaladərəsi", (39.65833, 46.60194), "Shusha District"),
    ("Մեծ Շեն", (39.65833, 46.60194), "Shusha District"),
    ("Мецкаладереси", (39.65833, 46.60194), "Shusha District"),
    ("Hin Shen", (39.63722, 46.60278), "Shusha District"),
    ("Kiçik Qaladərəsi", (39.63722, 46.60278), "Shusha District"),
    ("Հին Շեն", (39.63722, 46.60278), "Shusha District"),
    ("Tsakuri", (39.56972, 46.98361), "Khojavend District"),
    ("Hünərli", (39.56972, 46.98361), "Khojavend District"),
    ("Ծակուռի", (39.56972, 46.98361), "Khojavend District"),
    ("Цакури", (39.56972, 46.98361), "Khojavend District"),
    ("Vazgenashen", (39.87306, 46.93167), "Aghdam District"),
    ("Gülablı", (39.87306, 46.93167), "Aghdam District"),
    ("Abdal Gulabli", (39.87306, 46.93167), "Aghdam District"),
    ("Վազգենաշեն", (39.87306, 46.93167), "Aghdam District"),
    ("Khandzadzor", (39.49694, 46.87833), "Khojavend District"),
    ("Ağcakənd", (39.49694, 46.87833), "Khojavend District"),
    ("Agjakend", (39.49694, 46.87833), "Khojavend District"),
    ("Խանձաձոր", (39.49694, 46.87833), "Khojavend District"),
    ("Tsaghkavank", (39.54889, 47.08611), "Khojavend District"),
    ("Xırmancıq", (39.54889, 47.08611), "Khojavend District"),
    ("Ծաղկավանք", (39.54889, 47.08611), "Khojavend District"),
    ("Цахкаванк", (39.54889, 47.08611), "Khojavend District"),
    ("Gunashli", (39.49607, 47.08324), "Khojavend District"),
    ("Günəşli", (39.49607, 47.08324), "Khojavend District"),
]


@pytest.mark.parametrize(("name", "point", "district"), VILLAGES, ids=[v[0] for v in VILLAGES])
def test_front_line_village_resolves_within_3_km(
    gz: Gazetteer, name: str, point: tuple[float, float], district: str
) -> None:
    resolution = gz.resolve(name)
    assert resolution is not None, f"{name} is not in the gazetteer"
    place = resolution.place
    assert place.is_settlement and place.country == "AZ"
    assert place.admin1 == district
    assert _km(place.lat, place.lon, *point) <= 3.0, (name, place)


# Armenian border villages hit or cut by the border in 2020 (same checks, in Armenia).
ARMENIAN_VILLAGES = [
    ("Aygepar", (40.94194, 45.46222), "Tavush Province"),
    ("Այգեպար", (40.94194, 45.46222), "Tavush Province"),
    ("Айгепар", (40.94194, 45.46222), "Tavush Province"),
    ("Shurnukh", (39.37750, 46.39139), "Syunik Province"),
    ("Şurnux", (39.37750, 46.39139), "Syunik Province"),
    ("Շուռնուխ", (39.37750, 46.39139), "Syunik Province"),
    ("Шурнух", (39.37750, 46.39139), "Syunik Province"),
]


@pytest.mark.parametrize(
    ("name", "point", "province"), ARMENIAN_VILLAGES, ids=[v[0] for v in ARMENIAN_VILLAGES]
)
def test_armenian_border_village_resolves_within_3_km(
    gz: Gazetteer, name: str, point: tuple[float, float], province: str
) -> None:
    resolution = gz.resolve(name)
    assert resolution is not None, f"{name} is not in the gazetteer"
    place = resolution.place
    assert place.is_settlement and place.country == "AM"
    assert place.admin1 == province
    assert _km(place.lat, place.lon, *point) <= 3.0, (name, place)


def test_villages_in_one_report_stay_in_their_district(gz: Gazetteer) -> None:
    # The MoD bulletin of 3 October 2020 listed these together; each must land in Jabrayil District.
    names = ["Mehdili", "Chakhirli", "Ashaghi Maralyan", "Sheybey", "Guyjag"]
    resolved = {n: gz.resolve(n, [m for m in names if m != n]) for n in names}
    found = {n: r.place for n, r in resolved.items() if r is not None}
    assert set(found) >= {"Mehdili", "Ashaghi Maralyan", "Sheybey", "Guyjag"}
    assert {p.admin1 for p in found.values()} == {"Jabrayil District"}


# The homonyms the pipeline depends on, with the new villages in the context.
HOMONYMS = [
    ("Martuni", (), "geonames:146969"),
    ("Martuni", ("Shosh", "Khtsaberd"), "geonames:146969"),
    ("Martuni", ("Vardenis", "Sevan"), "geonames:616438"),
    ("Vardenis", (), "geonames:616108"),
    ("Vardenis", ("Chayli", "Talish"), "geonames:616108"),
    ("Fuzuli", (), "geonames:148106"),
    ("Fuzuli", ("Boyuk Marjanli", "Quycaq", "Khalafli"), "geonames:148106"),
    ("Fuzuli", ("Shamkir", "Ganja"), "geonames:8630550"),
    ("Shusha", ("Shosh",), "geonames:147105"),
    ("Aghdam", ("Akaku", "Tugh"), "geonames:148619"),
    # A homonym the new rows create: Drakhtik of Hadrut (Zoghalbulag) vs the bigger one near Lake Sevan.
    ("Drakhtik", (), "curated:zoghalbulag"),
    ("Drakhtik", ("Hadrut", "Tugh"), "curated:zoghalbulag"),
    ("Drakhtik", ("Sevan",), "geonames:616744"),
    ("Drakhtik", ("Chambarak",), "geonames:616744"),
    # Chirakhly is also an old name of Jrarat (Shirak); the Aghdam village wins near the front only.
    ("Chirakhly", (), "curated:chiragli-aghdam"),
    ("Chirakhly", ("Aghdam", "Tartar"), "curated:chiragli-aghdam"),
    ("Chirakhly", ("Gyumri", "Artik"), "geonames:616725"),
    # Maragha, the Armenian name of Shikharkh (aliases.csv); Maraga stays Malaga's alternate.
    ("Maragha", (), "geonames:828645"),
    ("Maragha", ("Tartar", "Talish"), "geonames:828645"),
    ("Shikharkh", ("Maragha",), "geonames:828645"),
    # Ağcakənd (Khandzadzor) must not take Shahumyan, the Goranboy Ashaghi Aghjakand.
    ("Shahumyan", ("Goranboy",), "geonames:587201"),
    ("Aghjakend", ("Hadrut", "Taghaser"), "curated:khandzadzor"),
    ("Kirov", (), "geonames:548408"),
    # Norashen (Günəşli's Armenian name) and Chinarli (the new name of Vank of Hadrut) stay with
    # the bigger places that already carry them.
    ("Norashen", ("Hadrut",), "geonames:146858"),
    ("Норашен", (), "geonames:616350"),
    ("Chinarli", (), "geonames:585642"),
]


@pytest.mark.parametrize(("name", "context", "expected"), HOMONYMS)
def test_homonyms_still_resolve_with_the_new_villages(
    gz: Gazetteer, name: str, context: tuple[str, ...], expected: str
) -> None:
    resolution = gz.resolve(name, context)
    assert resolution is not None
    assert resolution.place.id == expected, resolution.reason


_DMS = re.compile(r"(\d+)°(\d+)′(?:(\d+)″)?N (\d+)°(\d+)′(?:(\d+)″)?E")


def test_curated_coordinates_match_the_cited_reference() -> None:
    """Every curated row that quotes degrees/minutes/seconds sits within 2 km of what it quotes."""
    checked = 0
    for row in read_places(data_dir() / "places.csv"):
        match = _DMS.search(row.source)
        if match is None:
            continue
        d1, m1, s1, d2, m2, s2 = (int(g or 0) for g in match.groups())
        lat, lon = d1 + m1 / 60 + s1 / 3600, d2 + m2 / 60 + s2 / 3600
        assert _km(row.lat, row.lon, lat, lon) <= 2.0, (row.id, row.lat, row.lon, row.source)
        checked += 1
    assert checked >= 30


def test_curated_names_are_not_ordinary_words() -> None:
    """No curated place name is an Indonesian or English stop word the pipeline would trip over."""
    words = set().union(*LANGUAGE_STOPWORDS.values())
    clashes = [
        (row.id, name)
        for row in read_places(data_dir() / "places.csv")
        for name in (row.name, *row.names)
        if name.lower() in words
    ]
    assert clashes == []
