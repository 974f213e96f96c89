"""The dictionary geoparser the README compares mapapp with: every town of the region in the body is an event.

What a plain gazetteer-matching geoparser does with a news page: each name of a town of the
conflict region found in the body (page furniture left out, as mapapp's own reader finds it)
is an event on the publication day, claimed by the journalist (``independent``). Used by
``mapapp evaluate --baseline dictionary`` to reproduce the README's baseline row.

    >>> # events = dictionary_events(read_document("seeds/000_6cc985955b2ee2e6.txt"), load_gazetteer())
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from mapapp.model import Event, Excerpt, Side, event_id

if TYPE_CHECKING:
    from mapapp.manifest import ManifestRow
    from mapapp.pipeline.mentions import GazetteerLike
    from mapapp.pipeline.read import RawDocument

__all__ = ["BASELINES", "NO_DATE", "dictionary_events"]

BASELINES = ("dictionary",)
NO_DATE = date(2020, 10, 1)
"""The day given when a page has no publication date at all (mid-war)."""


def dictionary_events(
    doc: RawDocument, gazetteer: GazetteerLike, manifest_row: ManifestRow | None = None
) -> list[Event]:
    """Every mention of a town of the conflict region in the page's body as an event, on the
    publication day, reported by the journalist."""
    from mapapp.pipeline.anatomy import parse_page
    from mapapp.pipeline.mentions import finder_for

    page = parse_page(doc, manifest=manifest_row)
    finder = finder_for(gazetteer)
    day = page.article.published or NO_DATE
    events = []
    for mention in finder.find(page.article.text, page.sentences):
        if page.sentences[mention.sentence_index].boilerplate:
            continue
        resolution = gazetteer.resolve(mention.surface)
        place = resolution.place if resolution else None
        if place is None or not place.is_settlement or place.country not in finder.region:
            continue
        events.append(
            Event(
                id=event_id(page.article.sha256, place.id, day, Side.INDEPENDENT),
                source=doc.source,
                place=mention.surface,
                place_resolved=place.name,
                gazetteer_id=place.id,
                lat=place.lat,
                lon=place.lon,
                date=day,
                side=Side.INDEPENDENT,
                excerpts=(Excerpt(mention.surface),),
            )
        )
    return events
