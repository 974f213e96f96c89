"""Mentions: every gazetteer name in the text on word boundaries, longest first, ordinary words left out."""

from __future__ import annotations

import pytest

from mapapp.model import Sentence
from mapapp.pipeline.mentions import MentionFinder, find_mentions, finder_for
from tests.tiny_gazetteer import tiny_gazetteer

__all__: list[str] = []


def lines(text: str) -> tuple[Sentence, ...]:
    """One sentence per line, offsets into ``text`` (the tests' own splitter, not the anatomy stage)."""
    out, start = [], 0
    for n, line in enumerate(text.split("\n")):
        out.append(Sentence(line, start, start + len(line), paragraph=n))
        start += len(line) + 1
    return tuple(out)


def surfaces(text: str) -> list[str]:
    return [m.surface for m in find_mentions(text, lines(text), tiny_gazetteer())]


# (id, text, names expected in order)
CASES = [
    ("indonesian-town", "Tiga warga tewas dalam serangan udara di kota Martakert pada Rabu.", ["Martakert"]),
    ("english-town", "Azerbaijani shells hit Stepanakert overnight.", ["Stepanakert"]),
    ("azerbaijani-letters", "Xankəndi və Şuşa atəşə tutulub.", ["Xankəndi", "Şuşa"]),
    ("longest-match-region", "Pertempuran berlanjut di Nagorno-Karabakh.", ["Nagorno-Karabakh"]),
    ("russian-adjective", "Fighting in Nagorny Karabakh went on.", ["Nagorny Karabakh"]),
    ("possessive", "Baku's claim was denied by Yerevan.", ["Baku", "Yerevan"]),
    ("word-boundary", "Bakunin and Ganjaweed are not places, Ganja is.", ["Ganja"]),
    ("lowercase-is-a-word", "Menurut sumber itu, pekan lalu ada serangan.", []),
    ("stop-list-capitalised", "Pekan lalu Sumber militer mengatakan Ada serangan.", []),
    ("person-after-title", "Presiden Putin berbicara dengan Pashinyan.", []),
    ("person-given-name", "Vladimir Putin said so in Moscow.", ["Moscow"]),
    ("capitalised-only-mid-sentence", "Bina diserang.\nDrone menghantam Bina pada malam hari.", ["Bina"]),
    ("hyphenated-pair", "Perang Armenia-Azerbaijan berlanjut.", ["Armenia", "Azerbaijan"]),
    ("alternate-name", "Serangan di Tonashen dan Terter.", ["Tonashen", "Terter"]),
    ("all-caps-dateline", "MOSKWA - Rusia menawarkan diri.", ["MOSKWA"]),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_names_found(text: str, expected: list[str]) -> None:
    assert surfaces(text) == expected


def test_offsets_point_into_the_original_text() -> None:
    text = "Rudal menghantam Gəncə.\nDi kota Xocavənd, dua rumah hancur."
    found = find_mentions(text, lines(text), tiny_gazetteer())
    assert [(m.surface, m.sentence_index) for m in found] == [("Gəncə", 0), ("Xocavənd", 1)]
    for m in found:
        assert text[m.start : m.end] == m.surface


def test_name_outside_every_sentence_is_skipped() -> None:
    text = "Martakert\nSerangan di Ganja."
    sentences = lines(text)[1:]
    assert [m.surface for m in find_mentions(text, sentences, tiny_gazetteer())] == ["Ganja"]


def test_name_tables_are_built_once_per_gazetteer() -> None:
    gz = tiny_gazetteer()
    assert finder_for(gz) is finder_for(gz)
    assert isinstance(finder_for(gz), MentionFinder)


def test_region_test_uses_candidates() -> None:
    finder = finder_for(tiny_gazetteer())
    assert finder.in_region("Bina") and finder.in_region("Martuni")
    assert not finder.in_region("Pekan")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le Monde menyebut wartawan Allan Tartar terluka.", []),
        ("Pesawat itu lepas landas dari Bandara Ganja.", ["Ganja"]),
        ("Shells fell on Central Stepanakert.", ["Stepanakert"]),
        ("Armenian Stepanakert was shelled.", ["Stepanakert"]),
        ("Rudal Armenia Hantam Ganja, Sembilan Tewas", ["Armenia", "Ganja"]),
    ],
    ids=["surname", "facility", "compass-adjective", "side-adjective", "title-case-headline"],
)
def test_a_town_name_after_a_given_name_is_a_surname(text: str, expected: list[str]) -> None:
    assert surfaces(text) == expected


def test_last_two_words_read_from_the_end_equal_the_words_found_from_the_start() -> None:
    import random

    from mapapp.pipeline.mentions import _WORD, _last_two_words

    rng = random.Random(13)
    parts = ["ab", "Ka", "'", "’", "-", " ", ",", ".", "é", "_", "\n", "x-y", "“", "2020"]
    for _ in range(20000):
        text = "".join(rng.choice(parts) for _ in range(rng.randint(0, 12)))
        assert _last_two_words(text) == _WORD.findall(text)[-2:], repr(text)
