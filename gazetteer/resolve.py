"""Look names up and decide homonyms: :class:`Gazetteer` with ``candidates`` and ``resolve``.

A name folds to a key (:func:`gazetteer.names.fold`); the key lists every place one of whose
names (or generated spellings) folds to it. :meth:`Gazetteer.resolve` scores each candidate
by adding, in log-odds units:

* its size: ``0.6 * log10(population)`` (unknown populations count as the source's floor),
* its kind: a country +3, a region -0.5 (its population sums its towns) and -2.5 more when
  its own centre answers to the same name ("Tartar" is the town, "Tartar District" the
  region), a capital +1, a district centre +0.5,
* how the name matched: an alternate name -0.2, a generated spelling -0.6, an alternate name
  or spelling that a larger place of the same country over 25 km away also has -3 (GeoNames
  lists "Gəncə" among Yevlakh's names),
* the corpus prior (:class:`Prior`, by default the 2020 Karabakh war): +1.5 inside Armenia
  or Azerbaijan and up to +2 more near Stepanakert (decaying over 80 km),
* a foreign alternate: -1.5 for a place outside the prior's countries that has the name only
  as an alternate name (or a spelling of one) when a place inside them has it as its own name
  or a curated alias. GeoNames lists "Talin" among Tallinn's names, "Argel" among Algiers',
  "Karin" among Erzurum's; the Armenian towns of those names must not lose to them. Curated
  exonyms (Moskwa, Teheran, Jenewa) are curated aliases, so they are not touched. Alternate
  names of Armenian/Azerbaijani places do not count as own names here: they include Soviet-era
  names shared with Russian cities (Kuybyshev) and transliterations of world cities (Karachy),
* the context: +2.5 for each other place named in the same text, decaying over 50 km of
  distance (at most +4 in all), +0.8 for sharing a country with one of them, +1.5 for a
  country cue given in ``countries``.

The score returned is the winner's share of ``exp(score)`` over all candidates, and the
reason names the terms that set the winner apart from the runner-up.

Text that is not a known name is read as a query (:func:`gazetteer.query.parse_query`):
``"Martuni, Armenia"`` keeps the candidates in the named country (a country cue; ignored,
and said so, when no candidate is there), ``"Martuni, Gegharkunik"`` takes the qualifier as a
place named in the same text, ``"Stepanakert (Khankendi)"`` and ``"Khankendi/Stepanakert"``
keep the places both names reach, ``"Shusha's"`` drops the possessive, and ``"Shushi
region"`` gives the region the town is the seat of, or the town itself when the gazetteer has
no such region (``"Hadrut region"``). The reason starts with what was understood::

    >>> from gazetteer import load_gazetteer
    >>> gz = load_gazetteer()
    >>> gz.resolve("Martuni").place.name
    'Khojavend'
    >>> gz.resolve("Martuni", ["Vardenis", "Sevan"]).place.admin1
    'Gegharkunik Province'
    >>> gz.resolve("Martuni, Armenia").reason  # doctest: +ELLIPSIS
    "query 'Martuni, Armenia' read as 'Martuni' (country cue from ', Armenia': ...): Martuni (PPL, ..."
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from gazetteer.errors import PlaceNotFound
from gazetteer.names import fold
from gazetteer.place import Place, Resolution
from gazetteer.query import parse_query

__all__ = ["DEFAULT_PRIOR", "NO_PRIOR", "Gazetteer", "Prior"]

# By how a name reached a place (gazetteer.build.Q_*): own or curated, alternate, variant, and
# shadowed (an alternate that a larger same-country place far away has as a name too).
_QUALITY_TERM = (0.0, -0.2, -0.6, -3.0)
_HOW = ("name", "alternate", "variant", "shadowed")
_POPULATION_FLOOR = {"rg": 1000, "geopointdb": 500, "curated": 500}
# A place outside the prior's countries reached only through an alternate name, when a place inside
# them has the name as its own (see the module docstring). Equal to the prior's country weight, so
# an explicit country cue for the foreign place (+1.5) cancels it.
_FOREIGN_ALTERNATE = -1.5
_LABELS = ("prior", "match", "foreign alternate", "seat", "context", "country cue")
_MEMO_SIZE = 65536


@dataclass(frozen=True, slots=True)
class Prior:
    """What the corpus is about: countries and a focus point that make a reading likelier.

    The default is the 2020 Nagorno-Karabakh war: Armenia and Azerbaijan, centred on
    Stepanakert. Use :data:`NO_PRIOR` for a corpus about somewhere else.
    """

    countries: tuple[str, ...] = ("AM", "AZ")
    focus: tuple[float, float] | None = (39.8177, 46.7528)
    focus_radius_km: float = 80.0
    country_weight: float = 1.5
    focus_weight: float = 2.0

    def __post_init__(self) -> None:
        if self.focus is not None and not (-90 <= self.focus[0] <= 90 and -180 <= self.focus[1] <= 180):
            raise ValueError(f"prior focus must be (lat, lon), got {self.focus!r}")
        if self.focus_radius_km <= 0:
            raise ValueError(f"prior focus_radius_km must be > 0, got {self.focus_radius_km!r}")


DEFAULT_PRIOR = Prior()
NO_PRIOR = Prior(countries=(), focus=None)

ContextItem = str | Place


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


class Gazetteer:
    """Places and a folded-name index; build it with :func:`gazetteer.load_gazetteer`.

    ``index`` maps a folded key to packed ints ``place_index * 4 + quality`` where
    quality 0 is a primary or curated name, 1 an alternate name, 2 a generated spelling.
    """

    def __init__(
        self, places: Sequence[Place], index: dict[str, tuple[int, ...]], prior: Prior = DEFAULT_PRIOR
    ) -> None:
        self._places = tuple(places)
        self._index = index
        self.prior = prior
        self._by_id = {place.id: i for i, place in enumerate(self._places)}
        self._base = [self._base_score(p) for p in self._places]
        self._resolve_plain = lru_cache(maxsize=65536)(self._resolve_key)
        self._last_context: tuple[tuple[ContextItem, ...] | None, tuple[tuple[str, Place], ...]] = (None, ())
        # memos of pure lookups (bounded: emptied when full): a context name -> its key and place,
        # two places' coordinates -> the context weight of their distance
        self._anchor_memo: dict[str, tuple[str, Place | None]] = {}
        self._nearness_memo: dict[tuple[float, float, float, float], float] = {}

    @classmethod
    def from_places(cls, places: Iterable[Place], prior: Prior = DEFAULT_PRIOR) -> Gazetteer:
        """A gazetteer over ``places`` indexed by their names (first name primary): for tests and tools."""
        from gazetteer.names import variants

        places = tuple(places)
        index: dict[str, dict[int, int]] = {}
        for i, place in enumerate(places):
            for rank, name in enumerate((place.name, *place.names)):
                quality = 0 if rank == 0 else 1
                keys = {fold(name): quality}
                for key in variants(name, azerbaijani=place.country == "AZ"):
                    keys.setdefault(key, 2)
                for key, q in keys.items():
                    hits = index.setdefault(key, {})
                    hits[i] = min(q, hits.get(i, 9))
        packed = {k: tuple(i * 4 + q for i, q in sorted(v.items())) for k, v in index.items()}
        return cls(places, packed, prior)

    def with_prior(self, prior: Prior) -> Gazetteer:
        """The same places and index under another :class:`Prior`."""
        return Gazetteer(self._places, self._index, prior)

    # -- lookups --------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._places)

    def __iter__(self) -> Iterator[Place]:
        return iter(self._places)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and fold(name) in self._index

    def get(self, place_id: str) -> Place:
        """The place with ``place_id``; :class:`PlaceNotFound` (a ``LookupError``) if none."""
        try:
            return self._places[self._by_id[place_id]]
        except KeyError:
            raise PlaceNotFound(place_id) from None

    def name_keys(self) -> Iterable[str]:
        """Every folded name key (for an Aho-Corasick automaton over folded text)."""
        return self._index.keys()

    def candidates(self, name: str) -> tuple[Place, ...]:
        """Every place one of whose names folds to ``fold(name)``, likeliest first (no context)."""
        hits = self._index.get(fold(name), ())
        ranked = sorted(hits, key=lambda h: -(self._base[h >> 2] + _QUALITY_TERM[h & 3]))
        return tuple(self._places[h >> 2] for h in ranked)

    def matches(self, name: str) -> tuple[tuple[Place, str], ...]:
        """Every candidate with how ``name`` reached it: ``"name"`` (its own name or a curated
        alias), ``"alternate"`` (a GeoNames alternate name), ``"variant"`` (a generated
        spelling) or ``"shadowed"`` (an alternate name or spelling that a larger place of the same
        country, far away, has too). Lets a caller distrust, say, a common word that is only an
        alternate name.

        >>> from gazetteer import load_gazetteer
        >>> [(p.name, how) for p, how in load_gazetteer().matches("Juga")]
        [('Julfa', 'alternate'), ('Zug', 'alternate')]
        """
        hits = self._index.get(fold(name), ())
        ranked = sorted(hits, key=lambda h: -(self._base[h >> 2] + _QUALITY_TERM[h & 3]))
        return tuple((self._places[h >> 2], _HOW[h & 3]) for h in ranked)

    def closest_names(self, name: str, limit: int = 5) -> list[str]:
        """Names of places that look most like ``name`` (fuzzy, by edit ratio), for "did you mean".

        Suggestions are names as a reader writes them: a place's own name or a capitalised
        alternate, never a folded key or a lower-case romanisation (GeoNames lists "arumenia"
        among Armenia's names; it is suggested as "Armenia"). Only the place-name part of a
        query is compared (``"Stepanakrt, Armenia"`` -> ``"Stepanakrt"``); blank text has no
        suggestions.

        >>> from gazetteer import load_gazetteer
        >>> load_gazetteer().closest_names("Stepanakrt")[:1]
        ['Stepanakert']
        """
        from rapidfuzz import fuzz, process

        query = parse_query(name)
        key = fold(query.name)
        if not key:
            return []
        matches = process.extract(key, self._index.keys(), scorer=fuzz.ratio, limit=limit * 4)
        out: list[str] = []
        shown_places: set[int] = set()
        for match, _, _ in matches:
            hits = self._index[match]
            if all(hit & 3 == 2 for hit in hits):
                continue  # only a generated spelling: not worth suggesting
            places = {hit >> 2 for hit in hits}
            if places <= shown_places:
                continue  # another spelling of places already suggested ("Stepʻanakert")
            shown = self._display(match)
            if shown not in out:
                out.append(shown)
                shown_places |= places
        return out[:limit]

    def _display(self, key: str) -> str:
        """How to show ``key`` to a reader: a written name of its likeliest place that folds to it,
        if that name is its own or a capitalised alternate; otherwise that place's own name."""
        hits = sorted(self._index.get(key, ()), key=lambda h: -(self._base[h >> 2] + _QUALITY_TERM[h & 3]))
        for hit in hits:
            place = self._places[hit >> 2]
            if fold(place.name) == key:
                return place.name
            for written in place.names:
                if fold(written) == key and written[:1].isupper():
                    return written
        return self._places[hits[0] >> 2].name if hits else key

    # -- resolution -----------------------------------------------------------------------

    def _base_score(self, place: Place) -> float:
        population = place.population or _POPULATION_FLOOR.get(place.id.split(":", 1)[0], 0)
        score = 0.6 * math.log10(population + 1)
        if place.is_country:
            score += 3.0
        elif place.is_region:
            score -= 0.5  # a region's population sums its towns: discount it against a same-named city
        elif place.kind == "PPLC":
            score += 1.0
        elif place.kind == "PPLA":
            score += 0.5
        prior = self.prior
        if place.country and place.country in prior.countries:
            score += prior.country_weight
        if prior.focus is not None and not place.is_country:
            d = _distance_km(place.lat, place.lon, *prior.focus)
            score += prior.focus_weight * math.exp(-d / prior.focus_radius_km)
        return score

    def resolve(
        self, name: str, context: Iterable[ContextItem] = (), *, countries: Iterable[str] = ()
    ) -> Resolution | None:
        """Resolve ``name`` to one place, or None when no place has that name.

        ``context`` holds other names (or :class:`Place` objects) from the same text; each
        string is resolved on its own first. ``countries`` are ISO2 codes the text points at
        ("di Armenia" -> ``"AM"``). Text that is not a known name is read as a query
        ("Yerevan, Armenia", "Shusha's", "Hadrut region": see the module docstring); a
        known name is never split, so "Karabakh region" stays the region's own name.
        """
        key = fold(name)
        hits = self._index.get(key)
        if not hits:
            return self._resolve_query(name, tuple(context), tuple(countries))
        if not context and not countries:
            return self._resolve_plain(key)
        anchors = tuple(place for item_key, place in self._anchors(tuple(context)) if item_key != key)
        return self._decide(hits, anchors, frozenset(c.upper() for c in countries))

    def _resolve_key(self, key: str) -> Resolution | None:
        hits = self._index.get(key)
        if not hits:
            return None
        return self._decide(hits, (), frozenset())

    def _country(self, name: str) -> Place | None:
        """The country ``name`` names ("Armenia", "Amerika Serikat", "AS"), or None."""
        for hit in self._index.get(fold(name), ()):
            if self._places[hit >> 2].is_country:
                return self._places[hit >> 2]
        return None

    def _resolve_query(
        self, text: str, context: tuple[ContextItem, ...], countries: tuple[str, ...]
    ) -> Resolution | None:
        """Resolve text that is not a known name by parsing it (:func:`gazetteer.query.parse_query`)."""
        query = parse_query(text)
        if query.is_plain or not query.name:
            return None
        notes: list[str] = []
        cues: list[tuple[str, str]] = []  # (ISO2, the part of the query that named it)
        extra: list[Place] = []
        names = [query.name]
        for other in query.others:
            country = self._country(other)
            if country is not None and self._country(query.name) is None:
                cues.append((country.country, f"({other})"))  # "Martuni (Armenia)"
            else:
                names.append(other)
        for qualifier in query.qualifiers:
            shown = f", {qualifier}"
            country = self._country(qualifier)
            if country is not None:
                cues.append((country.country, shown))
                continue
            found = self.resolve(qualifier)
            if found is None:
                notes.append(f"{shown!r} ignored: no place of that name")
            else:
                extra.append(found.place)
                notes.append(f"context from {shown!r}: {self._head(found.place)}")
        if query.possessive:
            notes.append(f"possessive {query.possessive!r} dropped")
        known = [(n, self._index[fold(n)]) for n in names if fold(n) in self._index]
        notes.extend(f"{n!r} ignored: not a known name" for n in names if fold(n) not in self._index)
        if not known:
            return None
        main, hits = known[0]
        if len(known) > 1:
            common = set.intersection(*({h >> 2 for h in found_hits} for _, found_hits in known))
            both = " and ".join(repr(n) for n, _ in known)
            if common:
                hits = tuple(h for h in hits if h >> 2 in common)
                notes.append(f"{both} name the same place")
            else:
                notes.append(f"{both} name different places: {main!r} kept")
        if query.area:
            regions = tuple(h for h in hits if self._places[h >> 2].is_region)
            if regions:
                hits = regions
                notes.append(f"{query.area!r}: the regions named {main!r}")
        cue = frozenset(c.upper() for c in countries)
        rest: tuple[int, ...] = ()
        if cues:
            codes = frozenset(code for code, _ in cues)
            where = "/".join(sorted(codes))
            said = ", ".join(repr(shown) for _, shown in cues)
            kept = tuple(h for h in hits if self._places[h >> 2].country in codes)
            if kept:
                rest = tuple(h for h in hits if h not in kept)
                hits = kept
                notes.append(f"country cue from {said}: kept the candidates in {where}")
            else:
                notes.append(f"country cue from {said} ignored: no {main!r} in {where}")
            cue |= codes
        key = fold(main)
        anchors = tuple(place for item_key, place in self._anchors(context) if item_key != key)
        resolution = self._decide(hits, anchors + tuple(extra), cue)
        alternatives = resolution.alternatives + tuple(
            self._places[h >> 2]
            for h in sorted(rest, key=lambda h: -(self._base[h >> 2] + _QUALITY_TERM[h & 3]))
        )
        place = resolution.place
        if query.area and place.is_settlement:
            region = self._region_of_seat(place)
            if region is not None:
                notes.append(f"the {query.area} of {main!r}: {region.name}, named after {place.name}")
                alternatives = (place, *alternatives)
                place = region
            else:
                where = f" (in {place.admin1})" if place.admin1 else ""
                notes.append(
                    f"no {query.area} named {main!r} in the gazetteer: the town {place.name}{where} instead"
                )
        understood = "; ".join(notes) or "nothing else"
        reason = f"query {text!r} read as {main!r} ({understood}): {resolution.reason}"
        return Resolution(place, resolution.score, alternatives, reason)

    def _region_of_seat(self, town: Place) -> Place | None:
        """The region ``town`` lies in if that region is named after the town's own name (Shusha ->
        Shusha District; not Kapan -> Syunik Province, though GeoNames lists "Zangezur" for both)."""
        if not town.admin1:
            return None
        town_keys = {fold(town.name)}
        for hit in self._index.get(fold(town.admin1), ()):
            region = self._places[hit >> 2]
            if not region.is_region or region.country != town.country or region.name != town.admin1:
                continue
            stems = {parse_query(n).name for n in (region.name, *region.names)}
            stems |= {n.rsplit(" ", 1)[0] for n in (region.name, *region.names) if n.endswith(" City")}
            if town_keys & {fold(stem) for stem in stems}:
                return region
        return None

    def _anchors(self, context: tuple[ContextItem, ...]) -> tuple[tuple[str, Place], ...]:
        """Each context item as (its folded key, its place); the last context is remembered."""
        if context == self._last_context[0]:
            return self._last_context[1]
        anchors = []
        for item in context:
            if isinstance(item, Place):
                anchors.append(("", item))
            elif isinstance(item, str):
                known = self._anchor_memo.get(item)
                if known is None:
                    item_key = fold(item)
                    resolution = self._resolve_plain(item_key)
                    if resolution is None and item_key not in self._index:
                        resolution = self._resolve_query(item, (), ())  # "Gavar, Armenia"
                    known = (item_key, resolution.place if resolution is not None else None)
                    if len(self._anchor_memo) >= _MEMO_SIZE:
                        self._anchor_memo.clear()
                    self._anchor_memo[item] = known
                if known[1] is not None:
                    anchors.append(known)  # type: ignore[arg-type]
            else:
                raise TypeError(f"context items must be names or Places, got {type(item).__name__}: {item!r}")
        result = tuple(anchors)
        self._last_context = (context, result)
        return result

    def _decide(
        self, hits: tuple[int, ...], anchors: tuple[Place, ...], countries: frozenset[str]
    ) -> Resolution:
        places = self._places
        if len(hits) == 1:
            only = places[hits[0] >> 2]
            return Resolution(only, 1.0, (), f"{self._head(only)}: the only place with this name")
        scored: list[tuple[float, Place, dict[str, float]]] = []
        candidates = [places[h >> 2] for h in hits]
        seats = {(p.country, p.admin1) for p in candidates if p.kind in ("PPLA", "PPLC")}
        home = self.prior.countries
        # A place of the corpus region has this as its own name (or a curated alias): far foreign
        # places that have it only among their alternate names yield to it (Talin, not Tallinn).
        owned_at_home = any(h & 3 == 0 and p.country in home for h, p in zip(hits, candidates, strict=True))
        for hit, place in zip(hits, candidates, strict=True):
            terms = {"prior": self._base[hit >> 2], "match": _QUALITY_TERM[hit & 3]}
            if owned_at_home and hit & 3 and place.country not in home and not place.is_country:
                terms["foreign alternate"] = _FOREIGN_ALTERNATE
            if place.is_region and (place.country, place.admin1) in seats:
                terms["seat"] = -2.5
            if anchors:
                terms["context"] = self._context_term(place, anchors)
            if countries and place.country in countries:
                terms["country cue"] = 1.5
            scored.append((sum(terms.values()), place, terms))
        scored.sort(key=lambda s: -s[0])
        best_score, best, best_terms = scored[0]
        total = sum(math.exp(s - best_score) for s, _, _ in scored)
        probability = min(1.0, max(0.0, 1.0 / total))
        runner = scored[1] if len(scored) > 1 else None
        reason = self._reason(best, best_terms, runner, anchors, countries)
        return Resolution(best, round(probability, 4), tuple(p for _, p, _ in scored[1:]), reason)

    def _context_term(self, place: Place, anchors: tuple[Place, ...]) -> float:
        near = 0.0
        same_country = False
        for anchor in anchors:
            if anchor.id == place.id:
                continue
            if anchor.country and anchor.country == place.country:
                same_country = True
            if anchor.is_country:
                continue
            pair = (place.lat, place.lon, anchor.lat, anchor.lon)
            weight = self._nearness_memo.get(pair)
            if weight is None:
                weight = 2.5 * math.exp(-_distance_km(*pair) / 50.0)
                if len(self._nearness_memo) >= _MEMO_SIZE:
                    self._nearness_memo.clear()
                self._nearness_memo[pair] = weight
            near += weight
        return min(near, 4.0) + (0.8 if same_country else 0.0)

    def _reason(
        self,
        best: Place,
        terms: dict[str, float],
        runner: tuple[float, Place, dict[str, float]] | None,
        anchors: tuple[Place, ...],
        countries: frozenset[str],
    ) -> str:
        head = self._head(best)
        if runner is None:
            return f"{head}: the only place with this name"
        _, other, other_terms = runner
        why = []
        for label in _LABELS:
            if label == "match" and "foreign alternate" in other_terms:
                continue  # the foreign-alternate explanation says it better
            gap = terms.get(label, 0.0) - other_terms.get(label, 0.0)
            if gap > 0.05 or (label in ("context", "country cue") and terms.get(label, 0.0) >= 0.5):
                why.append(self._explain(label, best, other, anchors, countries, other_terms))
        if not why:
            why.append("no signal separates them; the larger place is kept")
        return f"{head} over {other.name} ({other.kind}, {other.country or '-'}): {'; '.join(why)}"

    @staticmethod
    def _head(place: Place) -> str:
        """``Name (KIND, admin1, CC, pop N)``: how a reason names a place."""
        where = f", {place.admin1}" if place.admin1 else ""
        if place.country:
            where += f", {place.country}"
        population = f", pop {place.population:,}" if place.population else ""
        return f"{place.name} ({place.kind}{where}{population})"

    def _explain(
        self,
        label: str,
        best: Place,
        other: Place,
        anchors: tuple[Place, ...],
        countries: frozenset[str],
        other_terms: dict[str, float],
    ) -> str:
        if label == "prior":
            parts = []
            if best.population:
                parts.append(f"population {best.population:,}")
            if best.is_country or best.is_region:
                parts.append(f"a {best.kind}")
            if best.country in self.prior.countries:
                parts.append(f"inside the corpus region ({'/'.join(self.prior.countries)})")
            return ", ".join(parts) or "larger or nearer the corpus region"
        if label == "match":
            if other_terms.get("match", 0.0) <= _QUALITY_TERM[3]:
                return f"the other has this name only as an alternate, and {best.name} is larger"
            return "named so in the source data (the other only by a variant or alternate name)"
        if label == "foreign alternate":
            return (
                f"{other.name} ({other.country}) has this name only among its alternate names, "
                f"{best.name} as its own inside the corpus region"
            )
        if label == "seat":
            return "the other is the region around this town"
        if label == "context":
            nearest = min(
                (a for a in anchors if not a.is_country and a.id != best.id),
                key=lambda a: _distance_km(best.lat, best.lon, a.lat, a.lon),
                default=None,
            )
            if nearest is None:
                return "same country as the other places in the text"
            d = _distance_km(best.lat, best.lon, nearest.lat, nearest.lon)
            return f"{d:.0f} km from {nearest.name}, named in the same text"
        return f"the text points at {', '.join(sorted(countries))}"
