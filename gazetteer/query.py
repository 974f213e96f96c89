"""Pure parsing of the forms a geocoding query wraps around a place name: :func:`parse_query`.

People and tools pass a geocoder more than a bare name: ``"Yerevan, Armenia"`` (what
``geopandas.tools.geocode`` users write), ``"Stepanakert (Khankendi)"`` and
``"Khankendi/Stepanakert"`` (both names of one place), possessives lifted from prose
(``"Shusha's"``, ``"Nagorno-Karabakh’s"``) and an area around a town (``"Hadrut region"``,
``"Aghdara district"``, ``"distrik Lachin"``). :func:`parse_query` only splits the text;
:meth:`gazetteer.Gazetteer.resolve` decides what each part means (a country cue, another
name of the same place, the region a town is the seat of), and does so only for text that
is not itself a known name, so ``"Karabakh region"`` stays one name. The article text
scanner (:mod:`mapapp.pipeline.mentions`) has its own rules and does not use this.

    >>> query = parse_query("Yerevan, Armenia")
    >>> query.name, query.qualifiers
    ('Yerevan', ('Armenia',))
    >>> parse_query("Stepanakert (Khankendi)").others
    ('Khankendi',)
    >>> parse_query("Khankendi/Stepanakert").name, parse_query("Khankendi/Stepanakert").others
    ('Khankendi', ('Stepanakert',))
    >>> parse_query("Shusha's").name, parse_query("Shusha's").possessive
    ('Shusha', "'s")
    >>> parse_query("Hadrut region").name, parse_query("Hadrut region").area
    ('Hadrut', 'region')
    >>> parse_query("Stepanakert").is_plain
    True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["AREA_PREFIXES", "AREA_SUFFIXES", "Query", "parse_query"]

# Words after a name that make it the area around the named town ("Hadrut region"). English, the
# Russian-era "rayon"/"raion"/"oblast" and the Armenian "marz"; "area" and "city" are left out ("Shusha
# city" is the town, "Baku area" is vague).
AREA_SUFFIXES = frozenset({"region", "district", "rayon", "raion", "province", "marz", "oblast"})
# The same before a name, as Indonesian news writes it ("distrik Lachin", "wilayah Karabakh").
AREA_PREFIXES = frozenset({"distrik", "kabupaten", "provinsi", "wilayah", "rayon", "region", "district"})
_POSSESSIVE = re.compile(r"(?:['’ʼ`´][sS]|(?<=[sS])['’ʼ])$")
_PARENS = re.compile(r"\(([^()]*)\)")


@dataclass(frozen=True, slots=True)
class Query:
    """A geocoding query split into its parts (see :func:`parse_query`).

    ``name`` is the place name itself; ``others`` are further names given for the same
    place (in parentheses or after a slash); ``qualifiers`` are the parts after commas,
    outermost last (``"Martuni, Gegharkunik, Armenia"`` -> ``("Gegharkunik", "Armenia")``);
    ``area`` is the area word (``"region"``) when the query names the area around ``name``;
    ``possessive`` is the possessive ending dropped (``"'s"``), ``""`` for none.
    """

    text: str
    name: str
    others: tuple[str, ...] = ()
    qualifiers: tuple[str, ...] = ()
    area: str = ""
    possessive: str = ""

    @property
    def is_plain(self) -> bool:
        """Nothing was split off: the query is just ``name``."""
        return not (self.others or self.qualifiers or self.area or self.possessive) and (
            self.name == self.text.strip()
        )


def _strip_possessive(name: str) -> tuple[str, str]:
    match = _POSSESSIVE.search(name)
    if match is None or match.start() == 0:
        return name, ""
    return name[: match.start()].rstrip(), match.group()


def _strip_area(name: str) -> tuple[str, str]:
    words = name.split()
    if len(words) < 2:
        return name, ""
    if words[-1].lower() in AREA_SUFFIXES:
        return " ".join(words[:-1]), words[-1].lower()
    if words[0].lower() in AREA_PREFIXES:
        return " ".join(words[1:]), words[0].lower()
    return name, ""


def parse_query(text: str) -> Query:
    """Split ``text`` into a place name, other names of it, qualifiers, an area word, a possessive.

    Commas separate qualifiers (only the part before the first comma names the place);
    parentheses and slashes in that part give other names of the same place; a trailing
    ``'s`` (or ``’s``, or ``'`` after an s) is dropped; a last word such as ``region``,
    ``district``, ``rayon``, ``province`` or ``marz`` (or a first word such as ``distrik``,
    ``wilayah``) marks the area around the town. Blank text gives an empty ``name``.

    >>> parse_query("Martuni, Gegharkunik, Armenia").qualifiers
    ('Gegharkunik', 'Armenia')
    >>> parse_query("Nagorno-Karabakh’s").name
    'Nagorno-Karabakh'
    >>> query = parse_query("Aghdara/Martakert district")
    >>> query.name, query.others, query.area
    ('Aghdara', ('Martakert',), 'district')
    >>> parse_query("(Khankendi)").name
    'Khankendi'
    """
    head, *rest = text.split(",")
    qualifiers = tuple(q.strip() for q in rest if q.strip())
    bracketed = [b.strip() for b in _PARENS.findall(head) if b.strip()]
    head = _PARENS.sub(" ", head)
    head = " ".join(head.replace("(", " ").replace(")", " ").split())
    names = [n.strip() for n in head.split("/") if n.strip()] + bracketed
    possessive = area = ""
    cleaned: list[str] = []
    for raw in names:
        name, dropped = _strip_possessive(raw)
        possessive = possessive or dropped
        name, word = _strip_area(name)
        area = area or word
        name, dropped = _strip_possessive(name)  # "Hadrut region's" -> "Hadrut region" -> "Hadrut"
        possessive = possessive or dropped
        if name and name not in cleaned:
            cleaned.append(name)
    if not cleaned:
        return Query(text, "", (), qualifiers)
    return Query(text, cleaned[0], tuple(cleaned[1:]), qualifiers, area, possessive)
