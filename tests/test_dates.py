"""Event dates: the relative-date table, carry-over from context, and the cue finder."""

from __future__ import annotations

from datetime import date

import pytest

from mapapp.model import DateHow
from mapapp.pipeline.dates import (
    CARRY_OVER_SENTENCES,
    DateCue,
    find_date_cues,
    latest_date_in_text,
    load_date_words,
    resolve_event_date,
)

D = date
E, R, P = DateHow.EXPLICIT, DateHow.RELATIVE, DateHow.PUBLICATION

# 2020: Sun 27 Sep, Mon 28, Tue 29, Wed 30, Thu 1 Oct, Fri 2, Sat 3, Sun 4, Mon 5, Wed 7,
# Thu 22, Fri 23, Wed 28, Fri 30, Sat 31 Oct, Sun 1 Nov, Mon 9, Tue 10 Nov.
# (id, sentence, published, language, expected day, how, cue that must be reported, approximate)
RELATIVE_DATES = [
    # --- the seeds
    (
        "seed004-pada-rabu",
        "Media Armenia mengatakan, 3 warga sipil tewas dalam serangan udara Azerbaijan di kota "
        "Martakert pada Rabu.",
        D(2020, 10, 1),
        "id",
        D(2020, 9, 30),
        R,
        "pada Rabu",
        False,
    ),
    (
        "seed001-selasa-kemarin",
        "Pashinyan mengatakan bahwa pasukan Azerbaijan telah menyerang desa dan kota di "
        "Nagorny-Karabakh pada hari Selasa kemarin.",
        D(2020, 9, 30),
        "id",
        D(2020, 9, 29),
        R,
        "pada hari Selasa kemarin",
        False,
    ),
    (
        "seed000-pada-hari-kamis",
        "Azerbaijan melaporkan pertempuran di beberapa daerah pada hari Kamis, dan menuduh "
        "Armenia menembakkan tiga rudal balistik ke Azerbaijan.",
        D(2020, 10, 23),
        "id",
        D(2020, 10, 22),
        R,
        "pada hari Kamis",
        False,
    ),
    (
        "seed000-jumat-23-10",
        "Pembicaraan diperkirakan akan berlangsung di Washington pada hari Jumat (23/10).",
        D(2020, 10, 23),
        "id",
        D(2020, 10, 23),
        E,
        "pada hari Jumat (23/10)",
        False,
    ),
    (
        "seed003-rabu-7-10",
        "Kementerian Pertahanan mencatat 40 kasus kematian baru pada Rabu (7/10).",
        D(2020, 10, 7),
        "id",
        D(2020, 10, 7),
        E,
        "pada Rabu (7/10)",
        False,
    ),
    (
        "seed002-kemarin-pagi",
        "menguasai benteng baru, kata kementerian itu kemarin pagi.",
        D(2020, 10, 4),
        "id",
        D(2020, 10, 3),
        R,
        "kemarin pagi",
        False,
    ),
    # --- Indonesian weekdays: the most recent such day on or before publication
    (
        "id-sabtu-in-monday-article",
        "Drone menghantam pos itu pada Sabtu.",
        D(2020, 10, 5),
        "id",
        D(2020, 10, 3),
        R,
        "pada Sabtu",
        False,
    ),
    (
        "id-weekday-same-day",
        "Serangan terjadi pada Kamis.",
        D(2020, 10, 1),
        "id",
        D(2020, 10, 1),
        R,
        "pada Kamis",
        False,
    ),
    (
        "id-senin-pagi",
        "Senin pagi, artileri menghantam kota itu.",
        D(2020, 10, 7),
        "id",
        D(2020, 10, 5),
        R,
        "Senin pagi",
        False,
    ),
    (
        "id-minggu-malam",
        "Ledakan terdengar Minggu malam di pusat kota.",
        D(2020, 10, 7),
        "id",
        D(2020, 10, 4),
        R,
        "Minggu malam",
        False,
    ),
    (
        "id-selasa-dini-hari",
        "Roket jatuh Selasa dini hari.",
        D(2020, 10, 7),
        "id",
        D(2020, 10, 6),
        R,
        "Selasa dini hari",
        False,
    ),
    (
        "id-jum-at-apostrophe",
        "Pada Jum'at, dua desa dibom.",
        D(2020, 10, 7),
        "id",
        D(2020, 10, 2),
        R,
        "Pada Jum'at",
        False,
    ),
    (
        "id-ahad",
        "Pasukan merebut desa itu pada hari Ahad.",
        D(2020, 10, 7),
        "id",
        D(2020, 10, 4),
        R,
        "pada hari Ahad",
        False,
    ),
    (
        "id-selasa-kemarin-strictly-before",
        "Kota itu diserang Selasa kemarin.",
        D(2020, 10, 7),
        "id",
        D(2020, 10, 6),
        R,
        "Selasa kemarin",
        False,
    ),
    (
        "id-sabtu-lalu-same-weekday",
        "Sabtu lalu, pasukan mundur dari desa itu.",
        D(2020, 10, 3),
        "id",
        D(2020, 9, 26),
        R,
        "Sabtu lalu",
        False,
    ),
    (
        "id-sabtu-lalu",
        "Desa itu dibom Sabtu lalu.",
        D(2020, 10, 5),
        "id",
        D(2020, 10, 3),
        R,
        "Sabtu lalu",
        False,
    ),
    # --- Indonesian numeric and month-name dates: exact
    (
        "id-minggu-27-9",
        "Pertempuran pecah Minggu (27/9) pagi.",
        D(2020, 10, 1),
        "id",
        D(2020, 9, 27),
        E,
        "Minggu (27/9)",
        False,
    ),
    (
        "id-minggu-27-9-2020",
        "Lebih dari 100 orang tewas pada Minggu (27/9/2020) di Martakert.",
        D(2020, 10, 1),
        "id",
        D(2020, 9, 27),
        E,
        "pada Minggu (27/9/2020)",
        False,
    ),
    (
        "id-bare-numeric",
        "Serangan (27/9) menewaskan dua warga.",
        D(2020, 10, 1),
        "id",
        D(2020, 9, 27),
        E,
        "(27/9)",
        False,
    ),
    (
        "id-numeric-previous-year",
        "Serangan (28/12) menewaskan dua warga.",
        D(2021, 1, 5),
        "id",
        D(2020, 12, 28),
        E,
        "(28/12)",
        False,
    ),
    (
        "id-pada-27-september",
        "Konflik dimulai pada 27 September.",
        D(2020, 10, 1),
        "id",
        D(2020, 9, 27),
        E,
        "27 September",
        False,
    ),
    (
        "id-27-september-2020",
        "Sejumlah desa diserang 27 September 2020.",
        D(2020, 10, 23),
        "id",
        D(2020, 9, 27),
        E,
        "27 September 2020",
        False,
    ),
    (
        "id-tanggal-slash-year",
        "Pada tanggal 27/9/2020 kota itu dibom.",
        D(2020, 10, 23),
        "id",
        D(2020, 9, 27),
        E,
        "27/9/2020",
        False,
    ),
    (
        "id-okt-abbreviation",
        "Kota itu dibom pada 28 Okt.",
        D(2020, 10, 30),
        "id",
        D(2020, 10, 28),
        E,
        "28 Okt",
        False,
    ),
    # --- Indonesian relative words
    ("id-kemarin", "Kota itu dibom kemarin.", D(2020, 10, 4), "id", D(2020, 10, 3), R, "kemarin", False),
    (
        "id-hari-ini",
        "Hari ini, sirene berbunyi di Stepanakert.",
        D(2020, 10, 4),
        "id",
        D(2020, 10, 4),
        R,
        "Hari ini",
        False,
    ),
    (
        "id-tadi-malam",
        "Tadi malam, dua rumah hancur.",
        D(2020, 10, 4),
        "id",
        D(2020, 10, 3),
        R,
        "Tadi malam",
        False,
    ),
    (
        "id-semalam",
        "Penembakan berlangsung semalam.",
        D(2020, 10, 4),
        "id",
        D(2020, 10, 3),
        R,
        "semalam",
        False,
    ),
    (
        "id-dini-hari-tadi",
        "Dini hari tadi, drone menyerang pos itu.",
        D(2020, 10, 4),
        "id",
        D(2020, 10, 4),
        R,
        "Dini hari tadi",
        False,
    ),
    (
        "id-pekan-lalu-approx",
        "Desa itu direbut pekan lalu.",
        D(2020, 10, 7),
        "id",
        D(2020, 9, 30),
        R,
        "pekan lalu",
        True,
    ),
    (
        "id-minggu-lalu-is-a-week",
        "Desa itu direbut minggu lalu.",
        D(2020, 10, 7),
        "id",
        D(2020, 9, 30),
        R,
        "minggu lalu",
        True,
    ),
    (
        "id-dua-hari-lalu",
        "Jembatan itu hancur dua hari lalu.",
        D(2020, 10, 7),
        "id",
        D(2020, 10, 5),
        R,
        "dua hari lalu",
        False,
    ),
    (
        "id-tiga-hari-yang-lalu",
        "Jembatan itu hancur tiga hari yang lalu.",
        D(2020, 10, 7),
        "id",
        D(2020, 10, 4),
        R,
        "tiga hari yang lalu",
        False,
    ),
    (
        "id-awal-pekan-ini",
        "Awal pekan ini, Armenia menuduh Turki mengirim tentara bayaran.",
        D(2020, 9, 30),
        "id",
        D(2020, 9, 28),
        R,
        "Awal pekan ini",
        True,
    ),
    # --- English
    (
        "en-on-friday-same-day",
        "On Friday, shells hit Ganja.",
        D(2020, 10, 2),
        "en",
        D(2020, 10, 2),
        R,
        "On Friday",
        False,
    ),
    (
        "en-9am-on-thursday",
        "The strike came at 9 a.m. on Thursday.",
        D(2020, 10, 1),
        "en",
        D(2020, 10, 1),
        R,
        "on Thursday",
        False,
    ),
    (
        "en-on-thursday",
        "Azerbaijan reported fighting on Thursday.",
        D(2020, 10, 23),
        "en",
        D(2020, 10, 22),
        R,
        "on Thursday",
        False,
    ),
    (
        "en-last-sunday-same-weekday",
        "The town was shelled last Sunday.",
        D(2020, 10, 4),
        "en",
        D(2020, 9, 27),
        R,
        "last Sunday",
        False,
    ),
    (
        "en-sunday-night",
        "Explosions were heard in Stepanakert on Sunday night.",
        D(2020, 10, 5),
        "en",
        D(2020, 10, 4),
        R,
        "on Sunday night",
        False,
    ),
    (
        "en-early-monday",
        "Rockets struck Barda early Monday.",
        D(2020, 11, 10),
        "en",
        D(2020, 11, 9),
        R,
        "early Monday",
        False,
    ),
    (
        "en-possessive-weekday",
        "Wednesday's missile strike killed 21 people.",
        D(2020, 10, 28),
        "en",
        D(2020, 10, 28),
        R,
        "Wednesday's",
        False,
    ),
    (
        "en-on-oct-28",
        "A missile hit Barda on Oct. 28, officials said.",
        D(2020, 10, 30),
        "en",
        D(2020, 10, 28),
        E,
        "Oct. 28",
        False,
    ),
    (
        "en-october-28",
        "Barda was hit October 28.",
        D(2020, 10, 30),
        "en",
        D(2020, 10, 28),
        E,
        "October 28",
        False,
    ),
    (
        "en-28-october",
        "Barda was hit on 28 October.",
        D(2020, 10, 30),
        "en",
        D(2020, 10, 28),
        E,
        "28 October",
        False,
    ),
    (
        "en-weekday-with-date",
        "On Thursday, Oct. 1, the city was shelled.",
        D(2020, 10, 5),
        "en",
        D(2020, 10, 1),
        E,
        "On Thursday, Oct. 1",
        False,
    ),
    (
        "en-yesterday",
        "The bridge was destroyed yesterday.",
        D(2020, 10, 28),
        "en",
        D(2020, 10, 27),
        R,
        "yesterday",
        False,
    ),
    ("en-today", "Sirens sounded in Ganja today.", D(2020, 10, 28), "en", D(2020, 10, 28), R, "today", False),
    (
        "en-this-morning",
        "Drones struck the depot this morning.",
        D(2020, 10, 28),
        "en",
        D(2020, 10, 28),
        R,
        "this morning",
        False,
    ),
    (
        "en-earlier-in-the-day",
        "Earlier in the day, shells hit Martuni.",
        D(2020, 10, 28),
        "en",
        D(2020, 10, 28),
        R,
        "Earlier in the day",
        False,
    ),
    (
        "en-last-night",
        "Shelling continued last night.",
        D(2020, 10, 28),
        "en",
        D(2020, 10, 27),
        R,
        "last night",
        False,
    ),
    (
        "en-overnight-approx",
        "Shelling continued overnight.",
        D(2020, 10, 28),
        "en",
        D(2020, 10, 27),
        R,
        "overnight",
        True,
    ),
    (
        "en-around-midnight-approx",
        "The shelling started around midnight.",
        D(2020, 10, 28),
        "en",
        D(2020, 10, 27),
        R,
        "around midnight",
        True,
    ),
    (
        "en-two-days-ago",
        "The village fell two days ago.",
        D(2020, 10, 28),
        "en",
        D(2020, 10, 26),
        R,
        "two days ago",
        False,
    ),
    (
        "en-a-week-ago-approx",
        "The village fell a week ago.",
        D(2020, 10, 28),
        "en",
        D(2020, 10, 21),
        R,
        "a week ago",
        True,
    ),
    (
        "en-over-the-weekend",
        "Fighting raged over the weekend.",
        D(2020, 10, 5),
        "en",
        D(2020, 10, 3),
        R,
        "over the weekend",
        True,
    ),
    (
        "en-month-day-year",
        "The city was shelled on Oct 31, 2020.",
        D(2020, 11, 1),
        "en",
        D(2020, 10, 31),
        E,
        "Oct 31, 2020",
        False,
    ),
    (
        "id-rabu-pekan-lalu",
        "Roket menghantam Barda pada Rabu pekan lalu.",
        D(2020, 11, 3),
        "id",
        D(2020, 10, 28),
        R,
        "pada Rabu pekan lalu",
        False,
    ),
    (
        "id-minggu-pekan-lalu-is-sunday",
        "Minggu pekan lalu, desa itu dibom.",
        D(2020, 11, 3),
        "id",
        D(2020, 11, 1),
        R,
        "Minggu pekan lalu",
        False,
    ),
    (
        "en-wednesday-last-week",
        "Barda was hit on Wednesday last week.",
        D(2020, 11, 3),
        "en",
        D(2020, 10, 28),
        R,
        "on Wednesday last week",
        False,
    ),
    (
        "en-us-month-day-year",
        "The strike on Barda came on 10/28/2020, officials said.",
        D(2020, 10, 30),
        "en",
        D(2020, 10, 28),
        E,
        "10/28/2020",
        False,
    ),
    # --- several cues: the first exact, past one wins
    (
        "two-dates-first-wins",
        "Pada Rabu (30/9) Martakert diserang dan Kamis (1/10) giliran Stepanakert.",
        D(2020, 10, 1),
        "id",
        D(2020, 9, 30),
        E,
        "Pada Rabu (30/9)",
        False,
    ),
    (
        "exact-beats-approximate",
        "Pekan lalu pasukan maju, dan pada Sabtu desa itu dibom.",
        D(2020, 10, 5),
        "id",
        D(2020, 10, 3),
        R,
        "pada Sabtu",
        False,
    ),
    # --- no usable cue: the publication date, flagged
    ("no-cue", "Pasukan Azerbaijan menembaki desa itu.", D(2020, 10, 4), "id", D(2020, 10, 4), P, "", False),
    (
        "since-is-not-the-day",
        "874 personel tewas sejak 27 September.",
        D(2020, 10, 23),
        "id",
        D(2020, 10, 23),
        P,
        "",
        False,
    ),
    (
        "future-talks-ignored",
        "Perundingan akan digelar pada Jumat (30/10).",
        D(2020, 10, 23),
        "id",
        D(2020, 10, 23),
        P,
        "",
        False,
    ),
    (
        "next-monday-ignored",
        "Gencatan senjata berlaku Senin depan.",
        D(2020, 10, 7),
        "id",
        D(2020, 10, 7),
        P,
        "",
        False,
    ),
    (
        "dalam-semalam-is-not-last-night",
        "Tiga desa direbut dalam semalam.",
        D(2020, 10, 7),
        "id",
        D(2020, 10, 7),
        P,
        "",
        False,
    ),
    (
        "beberapa-minggu-is-weeks",
        "Pertempuran sudah berlangsung beberapa minggu.",
        D(2020, 10, 7),
        "id",
        D(2020, 10, 7),
        P,
        "",
        False,
    ),
    (
        "may-the-verb",
        "Casualties may rise as fighting goes on.",
        D(2020, 10, 7),
        "en",
        D(2020, 10, 7),
        P,
        "",
        False,
    ),
]


@pytest.mark.parametrize(
    ("sentence", "published", "language", "expected", "how", "cue", "approximate"),
    [pytest.param(*row[1:], id=row[0]) for row in RELATIVE_DATES],
)
def test_relative_date_table(
    sentence: str, published: date, language: str, expected: date, how: DateHow, cue: str, approximate: bool
) -> None:
    got = resolve_event_date(sentence, published=published, language=language)
    assert (got.date, got.how, got.approximate) == (expected, how, approximate)
    assert got.cue == cue
    assert not got.carried


def test_the_table_is_big_enough_and_covers_both_languages() -> None:
    assert len(RELATIVE_DATES) >= 40
    assert {row[3] for row in RELATIVE_DATES} == {"id", "en"}


def test_a_cue_carries_over_from_the_previous_sentence() -> None:
    got = resolve_event_date(
        "Three civilians were killed.",
        published=D(2020, 10, 1),
        language="en",
        context=("On Wednesday, Azerbaijani forces shelled Martakert.",),
    )
    assert (got.date, got.how, got.cue, got.carried) == (D(2020, 9, 30), R, "On Wednesday", True)


def test_the_nearest_previous_cue_wins() -> None:
    context = ("Pada Senin, desa A dibom.", "Pada Selasa, desa B dibom.")
    got = resolve_event_date("Dua warga tewas.", published=D(2020, 10, 7), language="id", context=context)
    assert got.date == D(2020, 10, 6)


def test_carry_over_is_limited_to_the_last_sentences() -> None:
    context = (
        "On Wednesday, Azerbaijani forces shelled Martakert.",
        *["Officials spoke."] * CARRY_OVER_SENTENCES,
    )
    got = resolve_event_date(
        "Three civilians were killed.", published=D(2020, 10, 1), language="en", context=context
    )
    assert (got.date, got.how, got.carried) == (D(2020, 10, 1), P, False)


def test_the_sentence_own_cue_beats_the_context() -> None:
    got = resolve_event_date(
        "Kemarin, dua warga tewas.",
        published=D(2020, 10, 4),
        language="id",
        context=("Pada Kamis, desa dibom.",),
    )
    assert (got.date, got.carried) == (D(2020, 10, 3), False)


def test_find_date_cues_gives_every_cue_with_its_span() -> None:
    text = "Pada Rabu (30/9) Martakert diserang dan Kamis (1/10) giliran Stepanakert."
    cues = find_date_cues(text, published=D(2020, 10, 1), language="id")
    assert [(text[c.start : c.end], c.date, c.how) for c in cues] == [
        ("Pada Rabu (30/9)", D(2020, 9, 30), E),
        ("Kamis (1/10)", D(2020, 10, 1), E),
    ]


def test_find_date_cues_flags_future_and_since() -> None:
    text = "Sejak Minggu (27/9), 100 orang tewas; perundingan digelar Jumat (9/10)."
    cues = find_date_cues(text, published=D(2020, 10, 7), language="id")
    assert [(c.date, c.since, c.future) for c in cues] == [
        (D(2020, 9, 27), True, False),
        (D(2020, 10, 9), False, True),
    ]


def test_without_a_publication_date_only_dates_with_a_year_are_found() -> None:
    text = "Pada Rabu (30/9) kota dibom; sejak Minggu (27/9/2020) 100 tewas, dan 4 Oktober 2020 lagi."
    cues = find_date_cues(text, published=None)
    assert [c.date for c in cues] == [D(2020, 9, 27), D(2020, 10, 4)]
    assert latest_date_in_text(text) == D(2020, 10, 4)
    assert latest_date_in_text("tanpa tanggal") is None


def test_invalid_calendar_dates_are_not_cues() -> None:
    assert find_date_cues("Serangan (31/9) dan 30 Februari 2020.", published=D(2020, 10, 7)) == []


def test_date_cue_rejects_an_empty_span() -> None:
    with pytest.raises(ValueError, match="bad date cue span"):
        DateCue(5, 5, D(2020, 10, 1), E, "")


def test_date_word_table_has_every_weekday_in_both_languages() -> None:
    words = load_date_words()
    for language_days in (
        ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu"),
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    ):
        assert [words.weekday[d] for d in language_days] == list(range(7))
    assert words.month["okt"] == words.month["october"] == 10


def test_the_same_day_points_back_further_than_plain_carry_over() -> None:
    context = ("Rudal menghantam Ganja pada Sabtu (17/10).", "Sepuluh warga tewas.", "Puluhan terluka.")
    same_day = resolve_event_date(
        "Pada hari yang sama, pasukan Azerbaijan menguasai kota Fuzuli.",
        published=D(2020, 10, 18),
        language="id",
        context=context,
    )
    assert (same_day.date, same_day.cue, same_day.carried) == (D(2020, 10, 17), "pada Sabtu (17/10)", True)
    plain = resolve_event_date("Desa itu dibom.", published=D(2020, 10, 18), language="id", context=context)
    assert (plain.date, plain.how) == (D(2020, 10, 18), P)


# (id, sentence, context, heading, published, expected day, cue, carried from context or heading)
CHAINED = [
    (
        "sehari-kemudian",
        "Sehari kemudian, otoritas Karabakh mengakui kota itu lepas.",
        ("Aliyev mengumumkan pada 8 November bahwa Şuşa telah direbut.",),
        "",
        D(2020, 11, 10),
        D(2020, 11, 9),
        "Sehari kemudian (8 November)",
        True,
    ),
    (
        "the-next-day",
        "The next day, shells hit Barda.",
        ("On Tuesday, rockets hit Tartar.",),
        "",
        D(2020, 10, 30),
        D(2020, 10, 28),
        "The next day (On Tuesday)",
        True,
    ),
    (
        "the-day-before",
        "A day earlier, drones struck Martuni.",
        ("Ganja was hit on Oct. 17.",),
        "",
        D(2020, 10, 20),
        D(2020, 10, 16),
        "A day earlier (Oct. 17)",
        True,
    ),
    (
        "heading-dates-a-bare-sentence",
        "Rudal menghantam kawasan permukiman.",
        (),
        "5. 11 Oktober: rudal di Gəncə",
        D(2020, 11, 10),
        D(2020, 10, 11),
        "11 Oktober",
        True,
    ),
    (
        "heading-anchors-a-weekday",
        "Pertempuran meletus pada Minggu pagi.",
        (),
        "1. 27 September: perang pecah",
        D(2020, 11, 10),
        D(2020, 9, 27),
        "pada Minggu pagi",
        False,
    ),
    (
        "heading-and-shift",
        "Sehari kemudian desa itu dibom.",
        (),
        "10. 8 November: jatuhnya Şuşa",
        D(2020, 11, 10),
        D(2020, 11, 9),
        "Sehari kemudian (8 November)",
        True,
    ),
]


@pytest.mark.parametrize(
    ("sentence", "context", "heading", "published", "expected", "cue", "carried"),
    [pytest.param(*row[1:], id=row[0]) for row in CHAINED],
)
def test_days_chained_to_the_previous_sentence_or_the_section_heading(
    sentence: str,
    context: tuple[str, ...],
    heading: str,
    published: date,
    expected: date,
    cue: str,
    carried: bool,
) -> None:
    got = resolve_event_date(sentence, published=published, language="", context=context, heading=heading)
    assert (got.date, got.cue, got.carried) == (expected, cue, carried)


def test_a_shift_with_nothing_to_count_from_is_the_publication_date() -> None:
    got = resolve_event_date("The next day, shells hit Barda.", published=D(2020, 10, 30), language="en")
    assert (got.date, got.how) == (D(2020, 10, 30), P)
