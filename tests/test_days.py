"""Which day an article's sentences mean (mapapp/pipeline/days.py, period.py): the period an article reports,
texts written long after their events, earlier events recalled beside the reported one, and the
time words of overnight strikes. Short texts of our own, in the structures real reporting uses."""

from __future__ import annotations

from datetime import date

import pytest

from mapapp.model import DateHow, Sentence
from mapapp.pipeline.cues import load_cues
from mapapp.pipeline.days import Day
from mapapp.pipeline.period import (
    BACKGROUND_DAYS,
    Period,
    historical,
    reported_period,
    retrospective_year,
)
from tests.tiny_gazetteer import tiny_gazetteer

__all__: list[str] = []

D = date


def _events(text: str, published: date, outlet: str = "") -> set[tuple[str, str, str]]:
    from mapapp.manifest import ManifestRow
    from mapapp.pipeline import extract_document
    from mapapp.pipeline.read import read_text

    row = ManifestRow(file="a.txt", outlet=outlet, title="", published=published, language="")
    extraction = extract_document(read_text(text, source="a.txt"), tiny_gazetteer(), manifest_row=row)
    return {(e.place, e.date.isoformat(), e.side.value) for e in extraction.events}


def _notes(text: str, published: date) -> tuple[str, ...]:
    from mapapp.pipeline import extract_document
    from mapapp.pipeline.read import read_text

    return extract_document(read_text(text, source="a.txt"), tiny_gazetteer(), published=published).notes


# ---------------------------------------------------------------- the period an article reports


@pytest.mark.parametrize(
    ("days", "published", "expected"),
    [
        pytest.param([], D(2020, 10, 5), (D(2020, 10, 5), D(2020, 10, 5)), id="no-dated-mention"),
        pytest.param(
            [D(2020, 10, 3), D(2020, 10, 4), D(2020, 7, 12)],
            D(2020, 10, 5),
            (D(2020, 10, 3), D(2020, 10, 4)),
            id="news-with-the-july-clash-as-background",
        ),
        pytest.param(
            [D(2020, 9, 27), D(2020, 10, 11), D(2020, 11, 8), D(2020, 12, 1), D(1992, 5, 8)], D(2022, 3, 15),
            (D(2020, 9, 27), D(2020, 12, 1)), id="chronology-edited-two-years-later",
        ),
        pytest.param(
            [D(2020, 10, 4), D(2020, 10, 8), D(2020, 10, 28)],
            D(2020, 12, 11),
            (D(2020, 10, 4), D(2020, 10, 28)),
            id="rights-group-report-weeks-later",
        ),
        pytest.param(
            [D(2020, 11, 8), D(2021, 11, 7)], D(2021, 11, 8), (D(2021, 11, 7), D(2021, 11, 7)),
            id="news-of-the-anniversary-itself",
        ),
    ],
)
def test_reported_period(days: list[date], published: date, expected: tuple[date, date]) -> None:
    period = reported_period(days, published)
    assert (period.start, period.end) == expected


def test_period_edges() -> None:
    period = Period(D(2020, 9, 27), D(2020, 11, 10))
    assert period.before(D(2020, 7, 12)) and not period.before(D(2020, 8, 1))
    assert period.after(D(2021, 9, 27)) and not period.after(D(2020, 12, 20))
    assert period.current(D(2020, 12, 1)) and not period.current(D(2021, 3, 1))
    assert BACKGROUND_DAYS == 60
    with pytest.raises(ValueError, match="ends before it starts"):
        Period(D(2020, 11, 10), D(2020, 9, 27))


def _sentences(*texts: str) -> list[Sentence]:
    out, at = [], 0
    for i, text in enumerate(texts):
        out.append(Sentence(text, at, at + len(text), paragraph=i))
        at += len(text) + 2
    return out


def _day(when: date, cue: str) -> Day:
    return Day(when, DateHow.EXPLICIT, cue, 1.0)


def test_a_chronology_written_later_dates_its_entries_in_its_own_year() -> None:
    sentences = _sentences(
        "The war lasted from 27 September to 10 November 2020.",
        "17 October: a missile hit Ganja.",
        "This page was last edited on 15 March 2022.",
    )
    days = [_day(D(2021, 10, 17), "17 October")]  # as read in the publication's year
    assert retrospective_year(sentences, D(2022, 3, 15), days) == 2020


def test_an_anniversary_piece_with_one_year_less_date_is_of_the_war_year() -> None:
    sentences = _sentences(
        "Exactly one year ago, on November 8, 2020, Shusha was liberated.",
        "The deadliest strike, on October 17, 2020, hit Ganja.",
        "Barda was hit on October 27 and 28, 2020.",
    )
    days = [_day(D(2020, 11, 8), "November 8, 2020"), _day(D(2021, 10, 27), "October 27")]
    assert retrospective_year(sentences, D(2021, 11, 8), days) == 2020


def test_news_naming_an_old_full_date_is_read_in_its_own_year() -> None:
    sentences = _sentences(
        "Armenian forces occupied Aghdam on July 23, 1993.",
        "Azerbaijani units entered the district on November 20.",
    )
    days = [_day(D(2020, 11, 20), "November 20")]
    assert retrospective_year(sentences, D(2020, 11, 20), days) is None


WAR = Period(D(2020, 9, 27), D(2020, 11, 10))
AUTUMN = Period(D(2020, 9, 27), D(2020, 12, 1))  # a chronology of the war and the handover, read later
WEEK = Period(D(2020, 10, 1), D(2020, 10, 5))  # news of one week


@pytest.mark.parametrize(
    ("text", "period", "expected"),
    [
        ("Armenian forces captured Shusha in 1992.", WAR, True),
        ("Kalbajar was taken in the first war over the region.", WAR, True),
        ("Shusha direbut pada perang pertama.", WAR, True),
        ("In July, clashes near Tovuz killed 16.", WEEK, True),
        # its own months are not background
        ("In October, Azerbaijani forces shelled Martakert.", AUTUMN, False),
        ("Stepanakert was hit in 2020.", AUTUMN, False),
        # a war named as a yardstick
        ("Stepanakert saw the worst shelling since the 1990s war.", WEEK, False),
        ("Pertempuran terburuk sejak perang pertama berkecamuk di Hadrut.", WEEK, False),
    ],
)
def test_background_is_an_earlier_war_or_era(text: str, period: Period, expected: bool) -> None:
    assert historical(Sentence(text, 0, len(text)), period, load_cues()) is expected


CHRONOLOGY = """Timeline of the 2020 war

This list covers the war, which lasted from 27 September to 10 November 2020, and the handover after it.

Background

Armenian forces captured Shusha in May 1992, and Kalbajar fell in 1993.

Entries

4 October: President Ilham Aliyev announced the capture of Jabrayil.

17 October: A missile strike on Ganja killed 13. On the same day Aliyev said his forces had taken Fuzuli.

25 November: Azerbaijani forces entered Kalbajar.

This page was last edited on 15 March 2022.
"""


def test_a_chronology_published_long_after_is_a_list_of_events() -> None:
    assert _events(CHRONOLOGY, D(2022, 3, 15)) >= {
        ("Jabrayil", "2020-10-04", "azerbaijan"),
        ("Ganja", "2020-10-17", "independent"),
        ("Fuzuli", "2020-10-17", "azerbaijan"),
        ("Kalbajar", "2020-11-25", "independent"),
    }
    assert not any(place == "Shusha" for place, _, _ in _events(CHRONOLOGY, D(2022, 3, 15)))


REPORT = """Azerbaijan: attacks on civilians

A rights group said in a report released on December 11 that several strikes it investigated were unlawful.

On October 4, rockets hit a residential street of Stepanakert, destroying three houses, witnesses said.

In Hadrut, researchers found the remnants of a cluster munition rocket that landed near a school on October 3.

Stepanakert had already been shelled for months in 1992, during the first war.
"""


def test_a_report_weeks_later_keeps_the_incidents_it_documents() -> None:
    assert _events(REPORT, D(2020, 12, 11)) == {
        ("Stepanakert", "2020-10-04", "independent"),
        ("Hadrut", "2020-10-03", "independent"),
    }


ANNIVERSARY = """Setahun perang Karabakh

Tepat setahun lalu, pada 27 September 2020, pasukan Azerbaijan menggempur Martakert.

Pada 8 November 2020, Aliyev mengumumkan Shusha telah direbut.

Setahun kemudian, ribuan keluarga yang mengungsi dari Hadrut belum bisa pulang.
"""


def test_an_anniversary_piece_makes_no_event_at_its_own_publication_day() -> None:
    published = D(2021, 9, 27)
    assert _events(ANNIVERSARY, published) == {
        ("Martakert", "2020-09-27", "independent"),
        ("Shusha", "2020-11-08", "azerbaijan"),
    }
    assert any("Hadrut" in note for note in _notes(ANNIVERSARY, published))


# ---------------------------------------------------------------- an earlier event recalled


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        pytest.param(
            "A missile struck Ganja early on Saturday, killing 12 people, Azerbaijan's prosecutor's office "
            "said.\n\nThe strike came six days after a missile destroyed part of an apartment block in "
            "another district of the city, killing ten people.",
            D(2020, 10, 17),
            {("Ganja", "2020-10-17", "azerbaijan"), ("Ganja", "2020-10-11", "independent")},
            id="six-days-after-narrated",
        ),
        pytest.param(
            "Rudal menghantam Ganja pada Sabtu dini hari, kata kejaksaan Azerbaijan.\n\n"
            "Serangan itu terjadi enam hari setelah rudal lain menghancurkan blok apartemen di kota itu.",
            D(2020, 10, 17),
            {("Ganja", "2020-10-17", "azerbaijan"), ("Ganja", "2020-10-11", "independent")},
            id="enam-hari-setelah",
        ),
        pytest.param(
            "Azerbaijan's defence ministry said Armenian forces shelled Tartar on Wednesday. "
            "The ministry said the attack came two days after rockets hit Barda.",
            D(2020, 10, 1),
            {("Tartar", "2020-09-30", "azerbaijan"), ("Barda", "2020-09-28", "azerbaijan")},
            id="recalled-by-the-same-speaker-keeps-its-side",
        ),
        pytest.param(
            "Explosions rocked Stepanakert on Sunday night, a day after the truce took effect, "
            "a reporter in the city said.",
            D(2020, 10, 12),
            {("Stepanakert", "2020-10-11", "independent")},
            id="after-a-truce-no-place-recalled",
        ),
        pytest.param(
            "Kilas balik\n\nPasukan Azerbaijan merebut Hadrut pada Jumat (9/10), kata Aliyev.\n\n"
            "Sepekan kemudian, Aliyev mengumumkan pasukannya menguasai Fuzuli.",
            D(2020, 10, 20),
            {("Hadrut", "2020-10-09", "azerbaijan"), ("Fuzuli", "2020-10-16", "azerbaijan")},
            id="sepekan-kemudian",
        ),
        pytest.param(
            "Azerbaijan's prosecutor's office said rockets hit Barda on Wednesday, adding that the day "
            "before a strike on Tartar had killed five people.",
            D(2020, 10, 28),
            {("Barda", "2020-10-28", "azerbaijan"), ("Tartar", "2020-10-27", "azerbaijan")},
            id="the-day-before-inside-the-sentence",
        ),
        pytest.param(
            "Kilas balik\n\nPerang di Karabakh berlangsung selama enam pekan dan menewaskan ribuan orang. "
            "Gencatan senjata ditandatangani pada 10 November 2020.\n\n"
            "Sepuluh hari kemudian, tentara Azerbaijan memasuki distrik Jabrayil, disusul Kalbajar pada "
            "25 November.",
            D(2020, 11, 30),
            {("Jabrayil", "2020-11-20", "independent"), ("Kalbajar", "2020-11-25", "independent")},
            id="opening-count-governs-its-clause",
        ),
    ],
)
def test_an_earlier_event_recalled_is_its_own_event(
    text: str, published: date, expected: set[tuple[str, str, str]]
) -> None:
    assert _events(text, published) == expected


# ---------------------------------------------------------------- the day of an overnight strike


@pytest.mark.parametrize(
    ("lines", "published", "expected"),
    [
        (["MOSCOW, November 15. /TASS/. Posts were set up."], D(2020, 11, 16), D(2020, 11, 15)),
        (["Baku, November 20, AZERTAC", "The army entered Aghdam."], D(2020, 11, 21), D(2020, 11, 20)),
        (["BAKU, Oct 17 (Reuters) - A missile struck Ganja."], D(2020, 10, 18), D(2020, 10, 17)),
        (["BAKU. Oct 28 (Interfax) - Rockets hit Barda."], D(2020, 10, 29), D(2020, 10, 28)),
        (["STEPANAKERT, OCTOBER 2, ARMENPRESS. The city was shelled."], D(2020, 10, 3), D(2020, 10, 2)),
        (["Baku, 28 Oktober 2020 (ANTARA) - Roket menghantam Barda."], D(2020, 10, 29), D(2020, 10, 28)),
        # the publication day itself, a date deep in the lead, no dateline: nothing to change
        (["MOSCOW, November 15. /TASS/. Peacekeepers set up posts."], D(2020, 11, 15), None),
        (["Azerbaijan said on Saturday that on October 4 rockets hit Ganja."], D(2020, 10, 5), None),
        (["MOSCOW, November 1. /TASS/. Talks went on."], D(2020, 11, 15), None),
    ],
)
def test_the_datelines_own_date(lines: list[str], published: date, expected: date | None) -> None:
    from mapapp.pipeline.period import story_day

    assert story_day(_sentences(*lines), published) == expected


LEAD = "Fighting went on along the whole front, officials on both sides said, and talks were stalled.\n\n"
OVERNIGHT = [
    (
        "yesterday-of-the-dateline",
        'MOSCOW, November 15. /TASS/. "Yesterday the peacekeepers set up two observation posts near Lachin," '
        "Russia's Defense Ministry said.",
        D(2020, 11, 16), {("Lachin", "2020-11-14", "third-party")},
    ),
    (
        "overnight-and-2-am-next-sentence",
        "BAKU, Oct 17 (Reuters) - A missile struck Ganja overnight, killing 12 people, Azerbaijan's "
        "prosecutor's office said. The strike hit at about 2 a.m. local time.",
        D(2020, 10, 18), {("Ganja", "2020-10-17", "azerbaijan")},
    ),
    (
        "overnight-with-a-small-hour",
        "A missile struck Ganja overnight at about 2 a.m., Azerbaijan's prosecutor's office said.",
        D(2020, 10, 17), {("Ganja", "2020-10-17", "azerbaijan")},
    ),
    (
        "semalam-pukul-02",
        "Rudal menghantam Ganja semalam sekitar pukul 02.00 waktu setempat, kata kejaksaan Azerbaijan.",
        D(2020, 10, 17), {("Ganja", "2020-10-17", "azerbaijan")},
    ),
    (
        "overnight-alone-is-the-evening-before",
        "Stepanakert was shelled overnight, Armenia's defence ministry said.",
        D(2020, 10, 17), {("Stepanakert", "2020-10-16", "armenia")},
    ),
    (
        "early-hours-of-saturday-on-sunday",
        "A missile struck Ganja in the early hours of Saturday, Azerbaijan's prosecutor's office said.",
        D(2020, 10, 18), {("Ganja", "2020-10-17", "azerbaijan")},
    ),
    (
        "early-hours-of-the-story-day",
        "A missile struck Ganja in the early hours, Azerbaijan's prosecutor's office said.",
        D(2020, 10, 17), {("Ganja", "2020-10-17", "azerbaijan")},
    ),
    (
        "the-night-of-10-11",
        "On the night of October 10-11, a missile hit Ganja, Azerbaijan's prosecutor's office said.",
        D(2020, 10, 12), {("Ganja", "2020-10-11", "azerbaijan")},
    ),
    (
        "a-weekday-in-gmt",
        "A missile hit Ganja at about 1 a.m. local time (2100 GMT on Friday), Azerbaijan's prosecutor's "
        "office said.",
        D(2020, 10, 17), {("Ganja", "2020-10-17", "azerbaijan")},
    ),
    (
        "shortly-after-midnight",
        "Stepanakert came under artillery fire shortly after midnight, Armenia's defence ministry said.",
        D(2020, 10, 28), {("Stepanakert", "2020-10-28", "armenia")},
    ),
]


@pytest.mark.parametrize(
    ("text", "published", "expected"), [c[1:] for c in OVERNIGHT], ids=[c[0] for c in OVERNIGHT]
)
def test_the_day_of_an_overnight_strike(
    text: str, published: date, expected: set[tuple[str, str, str]]
) -> None:
    body = text if text.startswith(("MOSCOW", "BAKU")) else LEAD + text
    assert _events("Reports from the front\n\n" + body, published) == expected
