"""Offline gazetteer for the 2020 Nagorno-Karabakh war region and the world's cities.

``load_gazetteer()`` returns the compiled gazetteer (built from GeoNames data shipped in
installed packages plus the curated ``gazetteer/data/*.csv`` that ship inside this package,
cached by :func:`gazetteer.build.cache_path`), memoised per process and per :class:`Prior`.
The first call after an install or a data change builds the cache (about a minute, said in one
line on stderr); without the curated files the build fails with :class:`MissingDataError`
rather than quietly leaving out the curated places.
"""

from __future__ import annotations

from functools import lru_cache

from gazetteer.errors import CacheError, GazetteerDataError, GazetteerError, MissingDataError, PlaceNotFound
from gazetteer.names import fold, fold_with_offsets, variants
from gazetteer.place import Place, Resolution
from gazetteer.query import Query, parse_query
from gazetteer.resolve import DEFAULT_PRIOR, NO_PRIOR, Gazetteer, Prior

__all__ = [
    "DEFAULT_PRIOR",
    "NO_PRIOR",
    "CacheError",
    "Gazetteer",
    "GazetteerDataError",
    "GazetteerError",
    "MissingDataError",
    "Place",
    "PlaceNotFound",
    "Prior",
    "Query",
    "Resolution",
    "fold",
    "fold_with_offsets",
    "load_gazetteer",
    "parse_query",
    "variants",
]


@lru_cache(maxsize=1)
def _compiled_gazetteer() -> Gazetteer:
    from gazetteer.build import load_compiled

    compiled = load_compiled()
    return Gazetteer(compiled.places, compiled.index, DEFAULT_PRIOR)


@lru_cache(maxsize=8)
def load_gazetteer(prior: Prior = DEFAULT_PRIOR) -> Gazetteer:
    """The compiled gazetteer under ``prior`` (built into the cache first if needed); memoised."""
    base = _compiled_gazetteer()
    return base if prior == base.prior else base.with_prior(prior)
