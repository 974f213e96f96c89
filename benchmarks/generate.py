"""Real-looking test data: articles varied from the seed and corpus pages, and events around Karabakh.

* :func:`generate_articles` writes ``n`` article files and a ``manifest.csv``: each is a
  real seed/corpus page (Indonesian and English, .txt and .html) with its event places
  swapped for other settlements of the region, a new outlet and a new publication date.
* :func:`generate_extractions` / :func:`generate_events` build value objects directly
  (no pipeline): ~300 settlements of the gazetteer around Karabakh, dates 2020-09-27 to
  2020-11-10, the four reporting sides, excerpts in the pages' styles. Deterministic for
  a given seed.
"""

from __future__ import annotations

import csv
import json
import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from mapapp.model import Article, DateHow, Event, Excerpt, Mention, Precision, Side, event_id

__all__ = [
    "FIRST_DAY",
    "LAST_DAY",
    "OUTLETS",
    "REGION",
    "GeneratedExtraction",
    "PlaceRow",
    "generate_articles",
    "generate_events",
    "generate_extractions",
    "karabakh_places",
    "templates",
]

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_DIRS = (ROOT / "seeds", ROOT / "tests" / "corpus")
FIRST_DAY, LAST_DAY = date(2020, 9, 27), date(2020, 11, 10)
REGION = (38.6, 44.6, 41.2, 48.6)  # (min_lat, min_lon, max_lat, max_lon): Karabakh, its neighbours
OUTLETS = (
    "Kompas.com",
    "detikNews",
    "CNN Indonesia",
    "Tempo.co",
    "ANTARA News",
    "Republika",
    "Bisnis.com",
    "kumparan",
    "Suara.com",
    "Serambinews.com",
    "Tribunnews.com",
    "Liputan6.com",
    "Reuters",
    "AP News",
    "Al Jazeera",
    "BBC News",
    "Eurasianet",
    "OC Media",
    "JAMnews",
    "Agence France-Presse",
)
# sentence patterns in the styles of the seed pages; {place} {day} {speaker}
_EXCERPTS = {
    "id": (
        "{speaker} mengatakan pasukan musuh menggempur {place} pada {day}.",
        "Sedikitnya tiga warga sipil tewas dalam serangan roket di {place}, kata {speaker}.",
        "Menurut {speaker}, artileri menghantam permukiman di {place} {day}.",
        "Drone menyerang posisi militer dekat {place}, klaim {speaker}.",
    ),
    "en": (
        "{speaker} said enemy forces shelled {place} on {day}.",
        "At least three civilians were killed in a rocket strike on {place}, {speaker} said.",
        "Artillery hit residential areas of {place} overnight, according to {speaker}.",
        "A drone struck military positions near {place}, {speaker} claimed.",
    ),
}
_SPEAKERS = {
    Side.ARMENIA: ("Kementerian Pertahanan Armenia", "Armenia's defence ministry", "Shushan Stepanyan"),
    Side.AZERBAIJAN: ("Kementerian Pertahanan Azerbaijan", "Azerbaijan's defence ministry", "Hikmet Hajiyev"),
    Side.THIRD_PARTY: ("Kementerian Pertahanan Rusia", "the Russian defence ministry", "the ICRC"),
    Side.INDEPENDENT: ("seorang penduduk kepada Reuters", "a Reuters reporter", "Human Rights Watch"),
}


@dataclass(frozen=True, slots=True)
class PlaceRow:
    """A settlement to put events at: the gazetteer's id, name and coordinates."""

    id: str
    name: str
    lat: float
    lon: float
    country: str


@dataclass(frozen=True, slots=True)
class GeneratedExtraction:
    """The shape of :class:`mapapp.pipeline.Extraction`, built without the pipeline."""

    article: Article
    events: tuple[Event, ...]
    mentions: tuple[Mention, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Template:
    """A real page to vary: its text, format, manifest row and the event places to swap."""

    name: str
    text: str
    suffix: str
    language: str
    title: str
    places: tuple[str, ...]
    published: date


@cache
def karabakh_places(limit: int = 300) -> tuple[PlaceRow, ...]:
    """Up to ``limit`` settlements of the gazetteer in :data:`REGION`, the most populous first.

    Names of one word of letters only, so swapping them into a page keeps it readable and
    the pipeline's mention finder sees them as it sees real names.
    """
    from gazetteer import load_gazetteer

    min_lat, min_lon, max_lat, max_lon = REGION
    rows = [
        p
        for p in load_gazetteer()
        if p.is_settlement
        and p.country in ("AZ", "AM")
        and min_lat <= p.lat <= max_lat
        and min_lon <= p.lon <= max_lon
        and re.fullmatch(r"[A-Z][a-z]{3,}", p.name)
    ]
    rows.sort(key=lambda p: (-(p.population or 0), p.id))
    return tuple(PlaceRow(p.id, p.name, p.lat, p.lon, p.country) for p in rows[:limit])


@cache
def templates() -> tuple[Template, ...]:
    """The seed and corpus pages with their manifest rows and gold event places."""
    found: list[Template] = []
    for folder in TEMPLATE_DIRS:
        manifest_path, gold_path = folder / "manifest.csv", folder / "gold.json"
        if not manifest_path.is_file() or not gold_path.is_file():
            continue
        with manifest_path.open(encoding="utf-8-sig", newline="") as f:
            rows = {r["file"]: r for r in csv.DictReader(f)}
        for entry in json.loads(gold_path.read_text(encoding="utf-8")):
            path = folder / entry["file"]
            if not path.is_file() or entry["file"] not in rows:
                continue
            places = tuple(sorted({e["place"] for e in entry["events"]}, key=len, reverse=True))
            found.append(
                Template(
                    entry["file"],
                    path.read_text(encoding="utf-8"),
                    path.suffix,
                    entry.get("language") or rows[entry["file"]].get("language", "id"),
                    rows[entry["file"]]["title"],
                    places,
                    date.fromisoformat(rows[entry["file"]]["published"] or entry["published"]),
                )
            )
    if not found:
        raise FileNotFoundError(f"no seed pages with manifest.csv and gold.json under {TEMPLATE_DIRS}")
    return tuple(found)


def _swap(text: str, mapping: dict[str, str]) -> str:
    if not mapping:
        return text
    pattern = re.compile(r"\b(" + "|".join(re.escape(k) for k in mapping) + r")\b")
    return pattern.sub(lambda m: mapping[m.group(1)], text)


def _day(rng: random.Random) -> date:
    return FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))


def generate_articles(n: int, out_dir: str | Path, *, seed: int = 0) -> Path:
    """Write ``n`` varied pages and their ``manifest.csv`` into ``out_dir``; return the manifest path."""
    rng = random.Random(seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    pages, places = templates(), karabakh_places()
    rows = []
    for i in range(n):
        page = pages[i % len(pages)]
        mapping = {old: rng.choice(places).name for old in page.places}
        name = f"gen{i:06d}_{Path(page.name).stem}{page.suffix}"
        (out / name).write_text(_swap(page.text, mapping), encoding="utf-8")
        rows.append(
            {
                "file": name,
                "outlet": rng.choice(OUTLETS),
                "title": _swap(page.title, mapping),
                "published": (page.published + timedelta(days=rng.randint(0, 3))).isoformat(),
                "language": page.language,
                "url": "",
            }
        )
    manifest = out / "manifest.csv"
    with manifest.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["file", "outlet", "title", "published", "language", "url"])
        writer.writeheader()
        writer.writerows(rows)
    return manifest


def generate_extractions(
    n_articles: int, *, seed: int = 0, events_per_article: tuple[int, int] = (1, 9)
) -> list[GeneratedExtraction]:
    """``n_articles`` articles with their events (between the two bounds each), no pipeline."""
    rng = random.Random(seed)
    places = karabakh_places()
    sides = list(Side)
    out: list[GeneratedExtraction] = []
    for i in range(n_articles):
        language = "en" if rng.random() < 0.3 else "id"
        published = _day(rng)
        outlet = rng.choice(OUTLETS)
        picks = [
            (
                rng.choice(places),
                rng.choice(sides),
                published - timedelta(days=rng.choice((0, 0, 1, 1, 2, 3))),
            )
            for _ in range(rng.randint(*events_per_article))
        ]
        sentences = []
        for place, side, day in picks:
            speaker = _SPEAKERS[side][0 if language == "id" else rng.choice((1, 2))]
            sentence = rng.choice(_EXCERPTS[language]).format(
                place=place.name, day=day.strftime("%d/%m"), speaker=speaker
            )
            sentences.append(sentence[0].upper() + sentence[1:])
        text = "\n\n".join(sentences)
        title = f"{picks[0][0].name}: {sentences[0][:60]}"
        article = Article(
            source=f"gen{seed}-{i:07d}.txt",
            text=text,
            title=title,
            outlet=outlet,
            published=published,
            published_how="manifest",
            language=language,
        )
        events: dict[str, Event] = {}
        offset = 0
        for (place, side, day), sentence in zip(picks, sentences, strict=True):
            eid = event_id(article.source, place.id, day, side)
            excerpt = Excerpt(sentence, offset, offset + len(sentence))
            offset += len(sentence) + 2
            if eid in events:  # same place, day and side: one event, excerpts accumulate
                old = events[eid]
                events[eid] = Event(
                    **{**{f: getattr(old, f) for f in Event.__slots__}, "excerpts": (*old.excerpts, excerpt)}
                )
                continue
            events[eid] = Event(
                id=eid,
                source=article.source,
                place=place.name,
                place_resolved=place.name,
                gazetteer_id=place.id,
                lat=place.lat,
                lon=place.lon,
                date=day,
                side=side,
                excerpts=(excerpt,),
                outlet=outlet,
                title=title,
                published=published,
                language=language,
                country=place.country,
                precision=Precision.TOWN,
                date_how=DateHow.EXPLICIT if day != published else DateHow.PUBLICATION,
                date_cue=day.strftime("%d/%m") if day != published else "",
                side_cue=_SPEAKERS[side][0],
                confidence=round(rng.uniform(0.4, 0.95), 2),
            )
        out.append(GeneratedExtraction(article, tuple(events.values())))
    return out


def generate_events(n: int, seed: int = 0) -> list[Event]:
    """About ``n`` events (exactly ``n``) spread over generated articles, for map and store benchmarks."""
    events: list[Event] = []
    batch = 0
    while len(events) < n:
        for extraction in generate_extractions(max(1, (n - len(events)) // 4), seed=seed * 1000 + batch):
            events.extend(extraction.events)
        batch += 1
    return events[:n]
