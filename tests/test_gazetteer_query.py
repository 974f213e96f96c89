"""parse_query: the forms a geocoding query wraps around a place name, split without a gazetteer."""

from __future__ import annotations

import pytest

from gazetteer import Query, parse_query

# (text, name, others, qualifiers, area, possessive)
QUERIES = [
    ("Stepanakert", "Stepanakert", (), (), "", ""),
    ("Yerevan, Armenia", "Yerevan", (), ("Armenia",), "", ""),
    ("Martuni, Gegharkunik, Armenia", "Martuni", (), ("Gegharkunik", "Armenia"), "", ""),
    ("  Martuni ,  Armenia ", "Martuni", (), ("Armenia",), "", ""),
    ("Yerevan,", "Yerevan", (), (), "", ""),
    ("Stepanakert (Khankendi)", "Stepanakert", ("Khankendi",), (), "", ""),
    ("Martuni (Armenia)", "Martuni", ("Armenia",), (), "", ""),
    ("Khankendi/Stepanakert", "Khankendi", ("Stepanakert",), (), "", ""),
    ("Khankendi / Stepanakert, Azerbaijan", "Khankendi", ("Stepanakert",), ("Azerbaijan",), "", ""),
    ("(Khankendi)", "Khankendi", (), (), "", ""),
    ("Shusha's", "Shusha", (), (), "", "'s"),
    ("Shusha’s", "Shusha", (), (), "", "’s"),
    ("Nagorno-Karabakh's", "Nagorno-Karabakh", (), (), "", "'s"),
    ("Fuzulis'", "Fuzulis", (), (), "", "'"),
    ("Hadrut region", "Hadrut", (), (), "region", ""),
    ("Aghdara District", "Aghdara", (), (), "district", ""),
    ("Shushi region's", "Shushi", (), (), "region", "'s"),
    ("Shusha's region", "Shusha", (), (), "region", "'s"),
    ("Lachin rayon", "Lachin", (), (), "rayon", ""),
    ("distrik Lachin", "Lachin", (), (), "distrik", ""),
    ("Aghdara/Martakert district", "Aghdara", ("Martakert",), (), "district", ""),
    ("Region", "Region", (), (), "", ""),  # a lone area word is a name, not an area of nothing
    ("'s", "'s", (), (), "", ""),
    ("", "", (), (), "", ""),
    ("  ", "", (), (), "", ""),
    (", Armenia", "", (), ("Armenia",), "", ""),
]


@pytest.mark.parametrize(
    ("text", "name", "others", "qualifiers", "area", "possessive"),
    QUERIES,
    ids=[q[0] or "<empty>" for q in QUERIES],
)
def test_parse_query(
    text: str, name: str, others: tuple[str, ...], qualifiers: tuple[str, ...], area: str, possessive: str
) -> None:
    query = parse_query(text)
    assert isinstance(query, Query)
    assert (query.name, query.others, query.qualifiers, query.area, query.possessive) == (
        name,
        others,
        qualifiers,
        area,
        possessive,
    )


@pytest.mark.parametrize(
    ("text", "plain"), [("Stepanakert", True), (" Stepanakert ", True), ("Shusha's", False)]
)
def test_a_plain_query_is_just_a_name(text: str, plain: bool) -> None:
    assert parse_query(text).is_plain is plain
