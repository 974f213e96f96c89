"""Events real reporting holds that are not shelling, and several witnesses to one strike (issue 14).

Short texts of our own in the structures of real reporting: Russia's defence ministry on its
peacekeepers and on refugees' buses, villagers burning houses before a handover, a district handed
over or entered, a side conceding a town; a ministry's claim beside a wire reporter's eyewitness.
"""

from __future__ import annotations

from datetime import date

import pytest

from mapapp.model import EventKind
from tests.tiny_gazetteer import tiny_gazetteer

__all__: list[str] = []


def _extract(text: str, published: date, outlet: str = ""):  # type: ignore[no-untyped-def]
    from mapapp.manifest import ManifestRow
    from mapapp.pipeline import extract_document
    from mapapp.pipeline.read import read_text

    row = ManifestRow(file="a.txt", outlet=outlet, title="", published=published, language="")
    return extract_document(read_text(text, source="a.txt"), tiny_gazetteer(), manifest_row=row)


def _events(text: str, published: date, outlet: str = "") -> set[tuple[str, str, str]]:
    return {(e.place, e.date.isoformat(), e.side.value) for e in _extract(text, published, outlet).events}


# (id, text, published, expected events, a kind every expected event has)
NOT_SHELLING = [
    (
        "peacekeepers-set-up-posts",
        "Russia's Defense Ministry said on Sunday that peacekeepers set up two observation posts "
        "near Lachin.",
        date(2020, 11, 15), {("Lachin", "2020-11-15", "third-party")}, EventKind.HANDOVER,
    ),
    (
        "penjaga-perdamaian-mendirikan-pos",
        "Kementerian Pertahanan Rusia mengatakan pasukan penjaga perdamaian mendirikan pos pengamatan "
        "di pinggiran kota Lachin pada Sabtu (14/11).",
        date(2020, 11, 16), {("Lachin", "2020-11-14", "third-party")}, EventKind.HANDOVER,
    ),
    (
        "command-centre-moved-into",
        "The command centre of the peacekeeping force finished moving into Stepanakert on Sunday, "
        "Russia's Defense Ministry said.",
        date(2020, 11, 16), {("Stepanakert", "2020-11-15", "third-party")}, EventKind.HANDOVER,
    ),
    (
        "ditempatkan-di",
        "Pusat komando pasukan penjaga perdamaian telah selesai ditempatkan di Stepanakert pada "
        "Minggu (15/11), kata Kementerian Pertahanan Rusia.",
        date(2020, 11, 16), {("Stepanakert", "2020-11-15", "third-party")}, EventKind.HANDOVER,
    ),
    (
        "buses-arrived",
        "A column of 19 buses carrying 475 residents arrived from Yerevan at the main square of Stepanakert "
        "on Monday, Russia's Defense Ministry said.",
        date(2020, 11, 16), {("Stepanakert", "2020-11-16", "third-party")}, EventKind.EVACUATION,
    ),
    (
        "brought-back-to-the-city",
        "Stepanakert was quiet on Sunday. On Saturday, the first nine buses had brought about 250 people "
        "back to the city, the ministry said.",
        date(2020, 11, 16), {("Stepanakert", "2020-11-14", "independent")}, EventKind.EVACUATION,
    ),
    (
        "pengungsi-tiba-di",
        "Sebanyak 19 bus yang mengangkut 475 pengungsi tiba di alun-alun utama Stepanakert pada "
        "Senin (16/11).",
        date(2020, 11, 16), {("Stepanakert", "2020-11-16", "independent")}, EventKind.EVACUATION,
    ),
    (
        "refugees-have-returned",
        "Refugees have returned to Stepanakert on Tuesday, Russia's Defense Ministry said.",
        date(2020, 12, 8), {("Stepanakert", "2020-12-08", "third-party")}, EventKind.EVACUATION,
    ),
    (
        "russian-troops-arrived",
        "Russian troops arrived in Stepanakert on Tuesday.",
        date(2020, 11, 11), {("Stepanakert", "2020-11-10", "independent")}, EventKind.HANDOVER,
    ),
    (
        "pasukan-rusia-tiba",
        "Pasukan Rusia tiba di Stepanakert pada Selasa (10/11).",
        date(2020, 11, 11), {("Stepanakert", "2020-11-10", "independent")}, EventKind.HANDOVER,
    ),
    (
        "opening-place-far-from-its-event-word",
        "Di desa Charektar, di perbatasan dengan distrik tetangga Martakert yang tetap di bawah kendali "
        "Armenia, setidaknya enam rumah dibakar pada Sabtu pagi.",
        date(2020, 11, 15), {("Charektar", "2020-11-14", "independent")}, EventKind.DAMAGE,
    ),
    (
        "leveled-yesterday-on-a-print-page",
        "A missile strike yesterday leveled a row of homes in the city of Ganja, killing 12 people. "
        "The early hours attack came as a second missile hit Mingachevir.",
        date(2020, 10, 18),
        {("Ganja", "2020-10-17", "independent"), ("Mingachevir", "2020-10-17", "independent")},
        EventKind.ATTACK,
    ),
    (
        "villagers-burn-houses",
        "Villagers in Charektar set their houses on fire on Saturday before leaving, an AFP reporter saw.",
        date(2020, 11, 15), {("Charektar", "2020-11-14", "independent")}, EventKind.DAMAGE,
    ),
    (
        "membakar-rumah",
        "Warga desa Charektar membakar rumah-rumah mereka pada Sabtu (14/11/2020) sebelum pergi.",
        date(2020, 11, 15), {("Charektar", "2020-11-14", "independent")}, EventKind.DAMAGE,
    ),
    (
        "units-entered-district",
        "Units of the Azerbaijani Army entered the Aghdam district on November 20, the Ministry of Defense "
        "of Azerbaijan reported.",
        date(2020, 11, 20), {("Aghdam", "2020-11-20", "azerbaijan")}, EventKind.CAPTURE,
    ),
    (
        "district-returned",
        "The Kalbajar district was returned to Azerbaijan on Wednesday.",
        date(2020, 11, 26), {("Kalbajar", "2020-11-25", "independent")}, EventKind.HANDOVER,
    ),
    (
        "confirmed-the-loss",
        "Azerbaijan said its forces took Shusha on Sunday. The Karabakh authorities confirmed the loss of "
        "the city the next day.",
        date(2020, 11, 10),
        {("Shusha", "2020-11-08", "azerbaijan"), ("Shusha", "2020-11-09", "armenia")},
        EventKind.CAPTURE,
    ),
]


@pytest.mark.parametrize(
    ("text", "published", "expected", "kind"), [c[1:] for c in NOT_SHELLING], ids=[c[0] for c in NOT_SHELLING]
)
def test_events_that_are_not_shelling(
    text: str, published: date, expected: set[tuple[str, str, str]], kind: EventKind
) -> None:
    extraction = _extract(text, published)
    got = {(e.place, e.date.isoformat(), e.side.value) for e in extraction.events}
    assert got == expected, extraction.notes
    assert all(kind in e.kinds for e in extraction.events if e.date.isoformat() != "2020-11-08")


NOT_EVENTS = [
    (
        "where-the-speaker-was",
        "Di Goris, seorang relawan yang baru kembali dari garis depan mengatakan warga Karabakh kini "
        "tinggal di ruang bawah tanah.",
        date(2020, 10, 23),
    ),
    (
        "handover-postponed",
        "Penyerahan Kalbajar semula dijadwalkan pada Minggu (15/11), namun Azerbaijan setuju menundanya.",
        date(2020, 11, 15),
    ),
    (
        "handover-originally-scheduled",
        "The handover of Kalbajar, originally scheduled for Sunday, was postponed by ten days.",
        date(2020, 11, 15),
    ),
    (
        "a-resident-who-came-back",
        '"We waited in Goris for six weeks," said a teacher who came back with her children.',
        date(2020, 11, 16),
    ),
    (
        "warga-yang-kembali",
        '"Kami sudah menunggu di Goris selama enam minggu," kata seorang warga yang kembali bersama anaknya.',
        date(2020, 11, 16),
    ),
    (
        "future-handover",
        "Under the agreement, Azerbaijan is to receive the Kalbajar district on November 25.",
        date(2020, 11, 16),
    ),
]


@pytest.mark.parametrize(("text", "published"), [c[1:] for c in NOT_EVENTS], ids=[c[0] for c in NOT_EVENTS])
def test_plans_and_passers_by_are_not_events(text: str, published: date) -> None:
    extraction = _extract(text, published)
    assert not extraction.events, [(e.place, e.date, e.excerpts[0].text) for e in extraction.events]


# ---------------------------------------------------------------- several witnesses to one strike

CLAIMS = {
    "en": "A missile hit Ganja early on Saturday, killing 12, Azerbaijan's prosecutor's office said. ",
    "id": "Kementerian Pertahanan Azerbaijan mengatakan rudal menghantam Ganja pada Sabtu dini hari. ",
}
# (id, language, the witness's sentence after the ministry's)
WITNESSES = [
    ("in-ganja-an-afp-team-saw", "en", "In Ganja, an AFP team saw several houses turned into rubble."),
    ("journalists-at-the-scene", "en", "AFP journalists at the scene saw bodies in the rubble."),
    ("witnesses-in-ganja", "en", "Witnesses in Ganja saw rows of houses turned to rubble."),
    ("as-journalists-watched", "en", "Rescuers dug in the rubble in Ganja as AFP journalists watched."),
    ("reporter-in-the-city", "en", "Blasts rocked Ganja before dawn, a Reuters reporter in the city said."),
    ("jurnalis-di-lokasi", "id", "Jurnalis AFP di lokasi melihat deretan rumah yang rata dengan tanah."),
    ("di-ganja-wartawan", "id", "Di Ganja, wartawan Reuters menyaksikan rumah yang terbakar."),
    ("dari-lokasi", "id", "Ledakan keras terdengar di Ganja, seorang jurnalis AFP melaporkan dari lokasi."),
    ("saksi-mata", "id", "Saksi mata di Ganja menggambarkan ledakan besar yang meratakan deretan rumah."),
]


@pytest.mark.parametrize(("language", "witness"), [c[1:] for c in WITNESSES], ids=[c[0] for c in WITNESSES])
def test_a_ministry_and_a_wire_reporter_are_two_events(language: str, witness: str) -> None:
    extraction = _extract(CLAIMS[language] + witness, date(2020, 10, 18))
    got = {(e.place, e.date.isoformat(), e.side.value) for e in extraction.events}
    expected = {("Ganja", "2020-10-17", "azerbaijan"), ("Ganja", "2020-10-17", "independent")}
    assert got == expected, extraction.notes


def test_the_reporters_event_survives_the_others_denial() -> None:
    text = CLAIMS["en"] + "A Reuters reporter in Ganja saw bodies in the rubble. Armenia denied firing at it."
    events = {e.side.value: e for e in _extract(text, date(2020, 10, 18)).events}
    assert set(events) == {"azerbaijan", "independent"}
    assert [s.value for s in events["azerbaijan"].disputed_by] == ["armenia"]
