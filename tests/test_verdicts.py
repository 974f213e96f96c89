"""No place mention disappears silently: every mention ends as an event or is named in a note with its reason.

Checked on every page of the repository (seeds, corpus, the held-out sets, tests/reporting, HTML
fixtures) and, with hypothesis, on generated claims whose punctuation, quote marks (« » „ “ ‚ ‘ 「 」),
dashes, spaces (NBSP, thin), invisible characters (zero-width space/joiners, word joiner, soft hyphen,
BOM) and line breaks vary. Only the invariant is asserted on the held-out sets, never a score.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mapapp.commands.extract import article_paths, load_manifests
from mapapp.pipeline import Extraction, extract_document, extract_file
from mapapp.pipeline.read import read_bytes
from mapapp.pipeline.verdicts import MentionVerdict, Outcome

__all__: list[str] = []

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("seeds", "tests/corpus", "tests/heldout", "tests/heldout2", "tests/reporting", "tests/fixtures")


@pytest.fixture(scope="module")
def gazetteer():  # type: ignore[no-untyped-def]
    from gazetteer import load_gazetteer

    return load_gazetteer()


def _pages() -> list[Path]:
    files, _ = article_paths([str(ROOT / folder) for folder in FOLDERS])
    return files


def assert_every_mention_has_a_verdict(extraction: Extraction) -> None:
    """The invariant: one verdict per mention, in order; an event verdict points at an event whose
    excerpts hold the mention; any other verdict has a reason and its name is in the notes."""
    mentions, verdicts = extraction.mentions, extraction.verdicts
    assert [v.mention for v in verdicts] == list(mentions), "one verdict per mention, in text order"
    events = {e.id: e for e in extraction.events}
    notes = "\n".join(extraction.notes)
    for verdict in verdicts:
        mention = verdict.mention
        assert verdict.reason, f"{mention.surface}: a verdict without a reason"
        if verdict.outcome is Outcome.EVENT:
            event = events.get(verdict.event_id)
            assert event is not None, f"{mention.surface}: names event {verdict.event_id}, not emitted"
            assert any(x.start <= mention.start and mention.end <= x.end for x in event.excerpts), (
                f"{mention.surface}: the event's excerpts do not hold the mention"
            )
        else:
            assert mention.surface in notes, (
                f"{mention.surface} ({verdict.outcome.value}: {verdict.reason}) is named in no note:\n{notes}"
            )


@pytest.mark.parametrize("path", _pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_mention_of_every_page_has_a_verdict(path: Path, gazetteer) -> None:  # type: ignore[no-untyped-def]
    manifest = load_manifests(None, [path.parent])
    extraction = extract_file(path, gazetteer, manifest=manifest)
    assert_every_mention_has_a_verdict(extraction)


def test_a_verdict_needs_a_reason_and_only_events_an_id() -> None:
    from mapapp.model import Mention

    mention = Mention("Ganja", 0, 5, 0)
    with pytest.raises(ValueError, match="event id"):
        MentionVerdict(mention, Outcome.EVENT, "event: attack 'hit'")
    with pytest.raises(ValueError, match="event id"):
        MentionVerdict(mention, Outcome.NOT_AN_EVENT, "dateline", event_id="abc")
    with pytest.raises(ValueError, match="reason"):
        MentionVerdict(mention, Outcome.FURNITURE, "")


# ---------------------------------------------------------------- generated variants

TOWNS = ("Terter", "Barda", "Ganja", "Martakert", "Hadrut", "Shusha", "Mingachevir")
QUOTES = (("«", "»"), ("« ", " »"), ("„", "“"), ("‚", "‘"), ("「", "」"), ('"', '"'), ("“", "”"), ("»", "«"))
DASHES = ("-", "–", "—", "―", "--")
SPACES = (" ", "\u00a0", "\u202f", "\u2009")
INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")
BREAKS = ("\n", "\r\n", "\u2028")
# Claims as wire copy and Indonesian outlets put them: the speaker before or after a quote, a dash aside.
CLAIMS = (
    ("en", "The defence ministry said: {o}Enemy artillery shelled {town} overnight, killing two people.{c}"),
    ("en", "{o}{town} came under heavy rocket fire this morning{c}, the ministry said {d} the third attack."),
    ("en", "Officials said {o}rockets hit {town}{c} on Saturday {d} and that several houses were destroyed."),
    ("id", "Kementerian Pertahanan mengatakan, {o}Artileri musuh menggempur {town}, dua warga tewas.{c}"),
    ("id", "{o}Kota {town} dihantam rudal pada Sabtu pagi{c} {d} kata juru bicara kementerian."),
)
LEAD = {
    "en": "Fighting continued along the front on Saturday, officials on both sides said.",
    "id": "Pertempuran berlanjut di sepanjang garis depan pada Sabtu, kata para pejabat kedua pihak.",
}
TAIL = {
    "en": "The claims could not be independently verified.",
    "id": "Klaim tersebut tidak dapat diverifikasi secara independen.",
}


@st.composite
def claims(draw: st.DrawFn, *, line_break: bool) -> tuple[str, str, str]:
    """A short article around one claim naming a town, with its marks drawn at random; returns
    (text, town, language)."""
    language, template = draw(st.sampled_from(CLAIMS))
    town = draw(st.sampled_from(TOWNS))
    opening, closing = draw(st.sampled_from(QUOTES))
    sentence = template.format(o=opening, c=closing, d=draw(st.sampled_from(DASHES)), town=town)
    words = sentence.split(" ")
    # an invisible character inside one word, the town's name included ("Gan&shy;ja" in HTML)
    inside = draw(st.integers(min_value=-1, max_value=len(words) - 1))
    if inside >= 0 and len(words[inside]) > 1:
        at = draw(st.integers(min_value=1, max_value=len(words[inside]) - 1))
        words[inside] = words[inside][:at] + draw(st.sampled_from(INVISIBLE)) + words[inside][at:]
    # spaces: some become NBSP or thin spaces; invisible characters next to some words
    spaced = words[0]
    for word in words[1:]:
        space = draw(st.sampled_from(SPACES))
        invisible = draw(st.sampled_from(("", *INVISIBLE)))
        spaced += space + invisible + word
    if line_break:
        cut = draw(st.integers(min_value=1, max_value=len(words) - 1))
        pieces = spaced.split(" ")
        cut = min(cut, len(pieces) - 1)
        spaced = " ".join(pieces[:cut]) + draw(st.sampled_from(BREAKS)) + " ".join(pieces[cut:])
    title = "Shelling reported" if language == "en" else "Serangan dilaporkan"
    text = f"{title}\n\n{LEAD[language]}\n\n{spaced}\n\n{TAIL[language]}\n"
    return text, town, language


def _extract(text: str, gazetteer) -> Extraction:  # type: ignore[no-untyped-def]
    from datetime import date

    doc = read_bytes(text.encode("utf-8"), source="generated.txt")
    return extract_document(doc, gazetteer, published=date(2020, 10, 17))


PROPERTY = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@PROPERTY
@given(case=claims(line_break=False))
def test_a_claim_is_an_event_whatever_its_quote_marks_dashes_and_spaces(case, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text, town, _ = case
    extraction = _extract(text, gazetteer)
    assert_every_mention_has_a_verdict(extraction)
    place = gazetteer.resolve(town).place
    assert any(e.gazetteer_id == place.id for e in extraction.events), (
        f"{town} made no event in {text!r}: {[(v.mention.surface, v.reason) for v in extraction.verdicts]}"
    )


@PROPERTY
@given(case=claims(line_break=True))
def test_a_claim_broken_over_lines_still_gives_its_town_a_verdict(case, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text, town, _ = case
    extraction = _extract(text, gazetteer)
    assert_every_mention_has_a_verdict(extraction)
    found = [v for v in extraction.verdicts if town in v.mention.surface]
    assert found, f"{town} is not found as a place in {text!r}"
