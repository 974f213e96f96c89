"""A tiny in-memory gazetteer for the extraction unit tests: real Gazetteer class, a dozen places."""

from __future__ import annotations

from functools import cache

from gazetteer import Gazetteer, Place

__all__ = ["tiny_gazetteer"]

# (id, name, lat, lon, country, kind, population, other names); coordinates from GeoNames.
_PLACES = (
    ("geonames:146970", "Khankendi", 39.8177, 46.7528, "AZ", "PPLA", 55200, ("Stepanakert", "Xankəndi")),
    ("rg:AZ:martakert", "Martakert", 40.21238, 46.82086, "AZ", "PPL", 4000, ("Aghdara", "Ağdərə")),
    ("geonames:146969", "Khojavend", 39.79496, 47.1117, "AZ", "PPLA", 3700, ("Martuni", "Xocavənd")),
    ("geonames:616400", "Martuni", 40.1396, 45.3066, "AM", "PPL", 12000, ()),
    ("curated:talish", "Talish", 40.38139, 46.74083, "AZ", "PPL", 0, ("Tonashen", "Talış")),
    ("geonames:616108", "Vardenis", 40.1827, 45.73156, "AM", "PPL", 12651, ()),
    ("geonames:586765", "Dashkasan", 40.52393, 46.08186, "AZ", "PPLA", 10600, ("Dashkesan", "Daşkəsən")),
    ("geonames:587084", "Baku", 40.37767, 49.89201, "AZ", "PPLC", 1116513, ("Bakı",)),
    ("geonames:616052", "Yerevan", 40.18111, 44.51361, "AM", "PPLC", 1093485, ("Erevan",)),
    ("geonames:587081", "Ganja", 40.68278, 46.36056, "AZ", "PPLA", 303000, ("Gəncə", "Gyandzha")),
    ("geonames:585103", "Tartar", 40.34179, 46.93242, "AZ", "PPLA", 18185, ("Terter", "Tərtər")),
    ("geonames:147622", "Shusha", 39.75766, 46.74799, "AZ", "PPLA", 3000, ("Shushi", "Şuşa")),
    ("geonames:587057", "Barda", 40.37444, 47.12611, "AZ", "PPLA", 37500, ("Bərdə",)),
    ("geonames:147425", "Fuzuli", 39.60094, 47.14529, "AZ", "PPLA", 2000, ("Füzuli", "Fizuli")),
    ("admin1:AZ:99", "Fuzuli District", 39.60094, 47.14529, "AZ", "region", 120000, ("Füzuli District",)),
    ("geonames:148445", "Jabrayil", 39.39917, 47.02833, "AZ", "PPLA", 6000, ("Cəbrayıl", "Jebrail")),
    ("rg:AZ:hadrut", "Hadrut", 39.51998, 47.03183, "AZ", "PPL", 3000, ()),
    ("geonames:174875", "Goris", 39.51111, 46.33783, "AM", "PPL", 20591, ()),
    ("geonames:584717", "Tovuz", 40.99246, 45.62837, "AZ", "PPLA", 12626, ("Tovuz",)),
    ("geonames:148565", "Kalbajar", 40.10675, 46.03853, "AZ", "PPLA", 7300, ("Kelbajar", "Karvachar")),
    ("geonames:147625", "Laçın", 39.63742, 46.54977, "AZ", "PPLA", 8000, ("Lachin", "Berdzor")),
    ("geonames:148619", "Aghdam", 39.99096, 46.92736, "AZ", "PPLA", 0, ("Agdam", "Ağdam")),
    ("curated:charektar", "Charektar", 40.14556, 46.34444, "AZ", "PPL", 0, ("Çərəkdar",)),
    ("geonames:585514", "Mingachevir", 40.76422, 47.06227, "AZ", "PPLA", 95000, ("Mingəçevir",)),
    ("geonames:524901", "Moscow", 55.75222, 37.61556, "RU", "PPLC", 10381222, ("Moskwa", "Moskow")),
    ("geonames:1734971", "Pekan", 3.48333, 103.4, "MY", "PPL", 31826, ()),
    ("geonames:1626183", "Sumber", -6.76, 108.48, "ID", "PPL", 96725, ()),
    ("geonames:706483", "Kharkiv", 49.98081, 36.25272, "UA", "PPLA", 1430885, ()),
    ("geonames:149001", "Bina", 40.46, 50.08, "AZ", "PPL", 20000, ()),
    ("geonames:9999999", "Putin", 46.0, 25.0, "RO", "PPL", 600, ()),
    ("country:AM", "Armenia", 40.25, 45.0, "AM", "country", 3000000, ()),
    ("country:AZ", "Azerbaijan", 40.5, 47.5, "AZ", "country", 10000000, ("Azerbaijan Republic",)),
    (
        "curated:nagorno-karabakh",
        "Nagorno-Karabakh",
        39.9,
        46.7,
        "AZ",
        "region",
        150000,
        ("Karabakh", "Nagorny Karabakh", "Artsakh"),
    ),
)


# first-level divisions, as GeoNames names them, for the places whose tests need one
_ADMIN1 = {"curated:talish": "Tartar District", "rg:AZ:martakert": "Tartar District"}


@cache
def tiny_gazetteer() -> Gazetteer:
    """The same small gazetteer for every test (built once: the mention automaton is memoised on it)."""
    places = [
        Place(pid, name, lat, lon, country, _ADMIN1.get(pid, ""), kind, population, "test", names)
        for pid, name, lat, lon, country, kind, population, names in _PLACES
    ]
    return Gazetteer.from_places(places)
