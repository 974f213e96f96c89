"""Event or not: a place is an event place when something happened there, and only then."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from mapapp.model import Side
from mapapp.pipeline.attribution import attribute_article
from mapapp.pipeline.events import Verdict, judge_mentions
from mapapp.pipeline.mentions import find_mentions
from tests.test_mentions import lines
from tests.tiny_gazetteer import tiny_gazetteer

__all__: list[str] = []


def verdicts(
    text: str, *, dateline: tuple[int, int] | None = None, boilerplate: int | None = None
) -> list[Verdict]:
    gz = tiny_gazetteer()
    sentences = lines(text)
    if boilerplate is not None:
        from dataclasses import replace

        sentences = tuple(replace(s, boilerplate=(i == boilerplate)) for i, s in enumerate(sentences))
    mentions = find_mentions(text, sentences, gz)
    names = [m.surface for m in mentions]
    places = {}
    for i, m in enumerate(mentions):
        resolution = gz.resolve(m.surface, [n for n in names if n != m.surface])
        places[i] = resolution.place if resolution else None
    attribution = attribute_article(
        [s.text for s in sentences], boilerplate=[s.boilerplate for s in sentences]
    )
    return judge_mentions(text, sentences, mentions, places, dateline=dateline, attribution=attribution)


def verdict(text: str, name: str, **kw: object) -> Verdict:
    return next(v for v in verdicts(text, **kw) if v.mention.surface == name)  # type: ignore[arg-type]


# (id, text, place, is_event, words the reason must contain). Sentences written for these tests
# in the styles of Indonesian outlets and English wire copy; none is copied from the seeds.
CASES = [
    # events
    (
        "id-casualties",
        "Dua warga sipil tewas akibat gempuran artileri di Tartar, Senin.",
        "Tartar",
        True,
        "event",
    ),
    (
        "id-air-strike",
        "Media Armenia melaporkan serangan udara menghantam kota Martakert.",
        "Martakert",
        True,
        "event",
    ),
    (
        "id-capture",
        "Pasukan Azerbaijan merebut desa Talish setelah pertempuran sengit.",
        "Talish",
        True,
        "event",
    ),
    (
        "id-evacuation",
        "Ratusan warga dievakuasi dari Stepanakert pada malam hari.",
        "Stepanakert",
        True,
        "event",
    ),
    ("id-damage", "Sebuah gereja di Shusha rusak parah.", "Shusha", True, "event"),
    (
        "en-shelling",
        "Azerbaijani forces shelled Stepanakert overnight, officials said.",
        "Stepanakert",
        True,
        "event",
    ),
    ("en-missile", "A missile struck a residential block in Ganja, killing nine.", "Ganja", True, "event"),
    (
        "en-handover",
        "Armenian forces handed over Martakert to the Azerbaijani army.",
        "Martakert",
        True,
        "handover",
    ),
    ("en-capture", "Azerbaijan said its troops had captured Shushi.", "Shushi", True, "event"),
    # not events
    ("id-metonym-speech", "Baku menyatakan pasukan Armenia menembaki Tartar.", "Baku", False, "metonym"),
    ("id-metonym-denial", "Yerevan membantah klaim serangan terhadap Ganja.", "Yerevan", False, "metonym"),
    ("id-metonym-version", "Menurut versi Baku, rudal menghantam kota itu.", "Baku", False, "metonym"),
    ("en-metonym", "Moscow offered to host talks as rockets hit the region.", "Moscow", False, "region"),
    ("en-metonym-az", "Baku said Armenian rockets hit Tartar.", "Baku", False, "metonym"),
    ("id-venue", "Perundingan damai di Moskwa gagal menghentikan serangan.", "Moskwa", False, "region"),
    (
        "en-venue-in-region",
        "At talks in Yerevan, officials discussed the shelling.",
        "Yerevan",
        False,
        "venue",
    ),
    (
        "id-reference",
        "Seorang warga tewas di kota itu, lebih dari 20 km dari Vardenis.",
        "Vardenis",
        False,
        "reference",
    ),
    ("en-reference-road", "Troops shelled positions on the road to Shusha.", "Shusha", False, "reference"),
    (
        "en-overlooking",
        "Fighting raged in the hills overlooking Stepanakert.",
        "Stepanakert",
        False,
        "reference",
    ),
    ("id-border", "Bentrokan terjadi di wilayah perbatasan dengan Vardenis.", "Vardenis", False, "reference"),
    ("en-launch", "Azerbaijan said missiles fired from Vardenis hit Dashkesan.", "Vardenis", False, "launch"),
    (
        "en-launch-target",
        "Azerbaijan said missiles fired from Vardenis hit Dashkesan.",
        "Dashkesan",
        True,
        "event",
    ),
    ("id-hospital", "Korban luka dibawa ke rumah sakit di Yerevan.", "Yerevan", False, "wounded"),
    ("id-future", "Azerbaijan mengancam akan menyerang Stepanakert.", "Stepanakert", False, "no event"),
    ("en-no-cue", "Stepanakert is the main town of the region.", "Stepanakert", False, "no event"),
    ("country", "Azerbaijan menembakkan roket ke Armenia.", "Armenia", False, "country"),
    ("region", "Pertempuran sengit berlanjut di Nagorno-Karabakh.", "Nagorno-Karabakh", False, "region"),
    ("far-city", "Serangan rudal menghantam Kharkiv.", "Kharkiv", False, "outside"),
    (
        "id-home-alone",
        "Seorang penduduk Stepanakert mengatakan kepada Reuters bahwa rumahnya hancur terkena roket.",
        "Stepanakert",
        True,
        "home town",
    ),
    (
        "id-home-sheltering-only",
        "Seorang penduduk Stepanakert mengatakan kepada Reuters bahwa ia tidur di ruang bawah tanah.",
        "Stepanakert",
        False,
        "no attack",
    ),
    (
        "id-home-no-cue",
        "Seorang penduduk Stepanakert mengatakan hidupnya berubah.",
        "Stepanakert",
        False,
        "no event",
    ),
    (
        "en-home-with-other-place",
        "A resident of Stepanakert said shells hit Shusha overnight.",
        "Stepanakert",
        False,
        "home town",
    ),
]


@pytest.mark.parametrize(
    ("text", "place", "is_event", "why"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_event_or_not(text: str, place: str, is_event: bool, why: str) -> None:
    v = verdict(text, place)
    assert v.is_event is is_event, v.reason
    assert why in v.reason


def test_dateline_span_is_never_an_event() -> None:
    text = "STEPANAKERT (Reuters) - Shelling hit Stepanakert again on Friday."
    found = verdicts(text, dateline=(0, 11))
    assert [(v.mention.surface, v.is_event) for v in found] == [("STEPANAKERT", False), ("Stepanakert", True)]
    assert found[0].reason == "dateline"


def test_dateline_found_without_the_anatomy_stage() -> None:
    found = verdicts("BAKU, 5 Okt (Antara) - Roket menghantam Ganja, kata kementerian.")
    assert [(v.mention.surface, v.is_event) for v in found] == [("BAKU", False), ("Ganja", True)]


def test_boilerplate_never_yields_events() -> None:
    text = "Baca juga: Rudal Armenia Hantam Ganja, 9 Tewas\nPutin berbicara dengan Aliyev."
    v = verdict(text, "Ganja", boilerplate=0)
    assert not v.is_event and v.reason == "boilerplate"


def test_places_listed_together_share_the_event() -> None:
    text = (
        "Presiden Aliyev mengatakan pasukannya telah membebaskan sejumlah besar desa yang berada "
        "di sekitar kota Jabrayil, Fuzuli dan Hadrut."
    )
    found = verdicts(text)
    assert [(v.mention.surface, v.is_event) for v in found] == [
        ("Jabrayil", True),
        ("Fuzuli", True),
        ("Hadrut", True),
    ]
    assert "listed with Fuzuli" in found[2].reason


def test_strength_grows_with_closeness() -> None:
    near = verdict("Roket menghantam Tartar.", "Tartar")
    far = verdict(
        "Roket ditembakkan malam itu oleh pasukan yang berjaga di sekitar bukit menuju arah timur Tartar.",
        "Tartar",
    )
    assert near.is_event
    assert not far.is_event or far.strength < near.strength


# -- the whole pipeline on short articles written for these tests (tiny gazetteer) -------------

ARTICLES = [
    (
        "chronology-headings-date-their-entries",
        "Kronologi perang.\n\n1. 27 September: perang pecah\n\nStepanakert dihujani tembakan artileri "
        "pada Minggu pagi, kata otoritas Karabakh.\n\n2. 17 Oktober: Fuzuli\n\nPada hari yang sama, "
        "Aliyev mengumumkan pasukannya merebut kota Fuzuli.",
        date(2020, 11, 10),
        {("Stepanakert", "2020-09-27", "armenia"), ("Fuzuli", "2020-10-17", "azerbaijan")},
    ),
    (
        "statement-day-yields-to-the-event-day",
        "Kementerian Pertahanan Azerbaijan mengatakan roket menghantam pusat kota Barda "
        "pada Rabu (28/10).\n\nDalam pernyataan yang dirilis Senin (2/11), kementerian itu "
        "menyebut munisi tandan digunakan di Barda.",
        date(2020, 11, 3),
        {("Barda", "2020-10-28", "azerbaijan")},
    ),
    (
        "district-at-its-seat-town",
        "Azerbaijan said Armenian forces shelled villages in the Fuzuli District on Tuesday.",
        date(2020, 10, 1),
        {("Fuzuli District", "2020-09-29", "azerbaijan")},
    ),
    (
        "the-town-points-back",
        "Armenia's defence ministry said a drone hit a bus near the road in Vardenis on Tuesday. "
        "Officials said two people were killed in the town.",
        date(2020, 9, 30),
        {("Vardenis", "2020-09-29", "armenia")},
    ),
    (
        "reaction-and-negation-make-no-new-claim",
        "Rudal menghantam permukiman di Ganja pada Sabtu (17/10), kata Hikmet Hajiyev.\n\n"
        "Ankara mengecam serangan terhadap Ganja. Otoritas Karabakh menegaskan pasukannya "
        "tidak menembaki Ganja.",
        date(2020, 10, 18),
        {("Ganja", "2020-10-17", "azerbaijan")},
    ),
    (
        "witness-location-and-hospital-damage",
        "Wartawan AFP di Stepanakert mendengar ledakan keras pada Jumat malam.\n\n"
        "Karabakh officials said a maternity hospital in Shusha was damaged by shelling on Friday.",
        date(2020, 10, 3),
        {("Stepanakert", "2020-10-02", "independent"), ("Shusha", "2020-10-02", "armenia")},
    ),
    (
        "one-claim-one-day-for-a-list",
        "Azerbaijan's defence ministry said on Tuesday that Armenian forces had shelled the towns of "
        "Terter, Barda and Ganja, killing two civilians. The Armenian defence ministry denied the claims.",
        date(2020, 10, 12),
        {
            ("Terter", "2020-10-06", "azerbaijan"),
            ("Barda", "2020-10-06", "azerbaijan"),
            ("Ganja", "2020-10-06", "azerbaijan"),
        },
    ),
    (
        "fired-from-is-a-launch-site-and-a-reporter-speaks",
        "Armenian forces fired rockets at Ganja from Martakert on Sunday, Azerbaijan said.\n\n"
        "Stepanakert, the region's main city, came under heavy shelling on Saturday, an AFP reporter said.",
        date(2020, 10, 12),
        {("Ganja", "2020-10-11", "azerbaijan"), ("Stepanakert", "2020-10-10", "independent")},
    ),
    (
        "speaker-seat-in-an-opening-adverbial",
        "In Baku, President Aliyev said on Sunday his forces had liberated Jabrayil.",
        date(2020, 10, 5),
        {("Jabrayil", "2020-10-04", "azerbaijan")},
    ),
    (
        "district-after-a-village-only-says-where-it-is",
        "Sebuah drone Azerbaijan menghantam rumah di desa Talish, distrik Tartar, kata kementerian "
        "pertahanan Karabakh, Senin (5/10).",
        date(2020, 10, 6),
        {("Talish", "2020-10-05", "armenia")},
    ),
    (
        "wire-lead-with-a-compound-side-word-and-a-rejected-claim",
        "YEREVAN (Reuters) - Azerbaijani forces pounded Stepanakert with rockets overnight, the "
        "Armenian-backed authorities said on Sunday, a claim Baku rejected. An Armenian defence "
        "ministry official told reporters in Yerevan that fighting was raging near Hadrut.",
        date(2020, 10, 11),
        {("Stepanakert", "2020-10-11", "armenia"), ("Hadrut", "2020-10-11", "armenia")},
    ),
    (
        "capitals-are-rallies-funerals-and-refuge-not-targets",
        "Funerals were held in Baku on Sunday for soldiers killed in the fighting. Thousands rallied in "
        "Baku to celebrate the capture of Shusha. Refugees who fled the shelling arrived in Yerevan on "
        "Monday. Azerbaijan said Armenian rockets hit Ganja on Monday.",
        date(2020, 11, 10),
        {("Ganja", "2020-11-09", "azerbaijan")},
    ),
    (
        "an-agreed-handover-has-not-happened",
        "Under the deal, Armenia agreed to hand over Kalbajar by Nov. 15. Armenia sepakat menyerahkan "
        "Kalbajar kepada Azerbaijan.",
        date(2020, 11, 10),
        set(),
    ),
    (
        "scheduled-handovers-and-where-people-fled-to",
        "Armenian forces must leave Kalbajar by 15 November, the Kremlin said.\n\nThousands fled to Goris "
        "as shelling hit Martakert on Tuesday.\n\nRefugees from Hadrut said they had only heard about it.",
        date(2020, 11, 12),
        {("Martakert", "2020-11-10", "independent")},
    ),
    (
        "months-old-clashes-are-background",
        "In July, clashes near Tovuz killed 16 soldiers. Azerbaijan's defence ministry said on Monday "
        "that Armenian rockets hit Tartar.",
        date(2020, 10, 12),
        {("Tartar", "2020-10-12", "azerbaijan")},
    ),
    (
        "the-same-day-is-the-previous-sentences-day",
        "Kementerian Pertahanan Azerbaijan mengatakan pasukan Armenia menembaki Tartar pada Senin (5/10)."
        "\n\nOtoritas Karabakh menyebut drone Azerbaijan menghantam Martakert pada Sabtu (3/10). Pada hari "
        "yang sama, Stepanakert juga dihantam roket, kata otoritas Karabakh.",
        date(2020, 10, 6),
        {
            ("Tartar", "2020-10-05", "azerbaijan"),
            ("Martakert", "2020-10-03", "armenia"),
            ("Stepanakert", "2020-10-03", "armenia"),
        },
    ),
    (
        "a-day-named-for-comparison-is-not-the-same-day",
        "Rudal menghantam Barda pada Rabu (28/10), kata Kejaksaan Azerbaijan.\n\nSerangan itu terjadi "
        "sehari setelah roket menghantam Tartar pada Selasa (27/10), menurut kejaksaan.\n\nPada hari yang "
        "sama, drone menyerang Stepanakert, kata otoritas Karabakh.",
        date(2020, 10, 29),
        {
            ("Barda", "2020-10-28", "azerbaijan"),
            ("Tartar", "2020-10-27", "azerbaijan"),
            ("Stepanakert", "2020-10-28", "armenia"),
        },
    ),
    (
        "a-day-named-for-comparison-is-not-the-same-day-en",
        "Azerbaijan's defence ministry said Armenian rockets hit Barda on Wednesday. The strike came a day "
        "after shelling hit Tartar on Tuesday, the ministry said. On the same day, Karabakh officials said, "
        "drones struck Stepanakert.",
        date(2020, 10, 29),
        {
            ("Barda", "2020-10-28", "azerbaijan"),
            ("Tartar", "2020-10-27", "azerbaijan"),
            ("Stepanakert", "2020-10-28", "armenia"),
        },
    ),
    (
        "present-tense-speaker-and-a-denial-that-goes-on-to-a-claim",
        "A missile struck a block of flats in Ganja overnight, killing seven people, Azerbaijani "
        "officials say. Armenia's defence ministry denied firing at the city, and said Azerbaijan was "
        "continuing to shell Stepanakert.",
        date(2020, 10, 11),
        {("Ganja", "2020-10-10", "azerbaijan"), ("Stepanakert", "2020-10-10", "armenia")},
    ),
    (
        "two-claims-joined-by-whereas",
        "Kementerian Pertahanan Armenia menyebut Azerbaijan membombardir Stepanakert pada Minggu (27/9), "
        "sedangkan Baku mengklaim pasukan Armenia lebih dulu menembaki Tartar.",
        date(2020, 9, 28),
        {("Stepanakert", "2020-09-27", "armenia"), ("Tartar", "2020-09-27", "azerbaijan")},
    ),
    (
        "two-claims-joined-by-while",
        "Armenia's defence ministry said Azerbaijan shelled Stepanakert on Sunday, while Baku said "
        "Armenian forces had fired first on Tartar.",
        date(2020, 9, 28),
        {("Stepanakert", "2020-09-27", "armenia"), ("Tartar", "2020-09-27", "azerbaijan")},
    ),
    (
        "troops-entering-and-homes-set-on-fire",
        "Azerbaijani troops entered Kalbajar on Wednesday, Azerbaijan's defence ministry said. On "
        "Tuesday, residents set fire to their homes in Martakert, an AFP reporter saw. The ceasefire "
        "entered into force in Stepanakert on Monday; the war had entered its seventh week.",
        date(2020, 11, 26),
        {("Kalbajar", "2020-11-25", "azerbaijan"), ("Martakert", "2020-11-24", "independent")},
    ),
    (
        "pasukan-memasuki-dan-rumah-dibakar",
        "Pasukan Azerbaijan memasuki Kalbajar pada Rabu (25/11), kata Kementerian Pertahanan Azerbaijan. "
        "Sehari sebelumnya, warga membakar rumah mereka di Martakert, kata wartawan AFP.",
        date(2020, 11, 26),
        {("Kalbajar", "2020-11-25", "azerbaijan"), ("Martakert", "2020-11-24", "independent")},
    ),
    (
        "calling-a-claim-a-lie-is-a-denial",
        "Presiden Azerbaijan Ilham Aliyev mengumumkan pasukannya merebut kota Jabrayil pada Minggu (4/10). "
        "Armenia menyebut klaim itu sebagai kebohongan. Azerbaijan said its forces shelled Martakert on "
        "Sunday; Armenia called the reports baseless.",
        date(2020, 10, 5),
        {("Jabrayil", "2020-10-04", "azerbaijan"), ("Martakert", "2020-10-04", "azerbaijan")},
    ),
    (
        "a-body-named-by-its-kind-speaks-again",
        "Azerbaijan's prosecutor general's office said a shell hit Tartar on Monday. The office said two "
        "more people died in Barda the same day. Kejaksaan Agung Azerbaijan menyebut drone menyerang Ganja "
        "pada Selasa (29/9). Kantor itu menambahkan, roket juga menghantam Barda pada Rabu (30/9).",
        date(2020, 10, 1),
        {
            ("Tartar", "2020-09-28", "azerbaijan"),
            ("Barda", "2020-09-28", "azerbaijan"),
            ("Ganja", "2020-09-29", "azerbaijan"),
            ("Barda", "2020-09-30", "azerbaijan"),
        },
    ),
    (
        "conditions-demands-and-occupied-lands-are-no-events",
        "Aliyev said on Sunday the operation would go on until Armenian forces withdraw from Kalbajar and "
        "Jabrayil. Azerbaijan said Armenian rockets hit Barda on Monday. Barda lies near the occupied "
        "territories of Aghdara. Aliyev menuntut pasukan Armenia mundur dari Kalbajar. Tartar berbatasan "
        "dengan wilayah yang diduduki di sekitar Martakert.",
        date(2020, 10, 6),
        {("Barda", "2020-10-05", "azerbaijan")},
    ),
    (
        "past-war-background-is-not-an-event",
        "Hadrut dikuasai pasukan etnis Armenia pada 1992.\n\nJabrayil diserang drone pada Minggu (4/10).",
        date(2020, 10, 5),
        {("Jabrayil", "2020-10-04", "independent")},
    ),
]


@pytest.mark.parametrize(
    ("text", "published", "expected"), [a[1:] for a in ARTICLES], ids=[a[0] for a in ARTICLES]
)
def test_short_articles_end_to_end(text: str, published: date, expected: set[tuple[str, str, str]]) -> None:
    from mapapp.pipeline import extract_document
    from mapapp.pipeline.read import read_text

    doc = read_text(text, source="test.txt")
    extraction = extract_document(doc, tiny_gazetteer(), published=published)
    got = {(e.place, e.date.isoformat(), e.side.value) for e in extraction.events}
    assert got == expected, extraction.notes
    if "rejected" in text:
        assert all(e.disputed_by for e in extraction.events if e.place == "Stepanakert")
    if "kebohongan" in text:
        assert all(e.disputed_by == (Side.ARMENIA,) for e in extraction.events)
    if "denied firing at the city" in text:
        disputed = {e.place: e.disputed_by for e in extraction.events}
        assert disputed == {"Ganja": (Side.ARMENIA,), "Stepanakert": ()}


# (outlet, text, expected). A party's own media narrating without a source is that party's claim;
# a speaker named in the sentence still decides; other outlets' narration is independent.
OUTLET_CASES = [
    (
        "Armenpress",
        "Azerbaijani forces shelled Stepanakert on Sunday.",
        {("Stepanakert", "2020-10-04", "armenia")},
    ),
    (
        "AZERTAC",
        "Armenian forces fired rockets at Ganja on Sunday.",
        {("Ganja", "2020-10-04", "azerbaijan")},
    ),
    (
        "Trend News Agency",
        "Armenia's defence ministry said Azerbaijani drones hit Martakert on Sunday.",
        {("Martakert", "2020-10-04", "armenia")},
    ),
    (
        "Kompas.com",
        "Roket menghantam Ganja pada Minggu (4/10).",
        {("Ganja", "2020-10-04", "independent")},
    ),
    (
        "Trending Now Daily",  # a word that starts like an agency's name is not the agency
        "Rockets hit Ganja on Sunday.",
        {("Ganja", "2020-10-04", "independent")},
    ),
]


@pytest.mark.parametrize(("outlet", "text", "expected"), OUTLET_CASES, ids=[c[0] for c in OUTLET_CASES])
def test_narration_is_the_outlets_claim_when_it_is_a_partys_media(
    outlet: str, text: str, expected: set[tuple[str, str, str]]
) -> None:
    from mapapp.manifest import ManifestRow
    from mapapp.pipeline import extract_document
    from mapapp.pipeline.read import read_text

    row = ManifestRow(file="a.txt", outlet=outlet, title="", published=date(2020, 10, 5), language="")
    extraction = extract_document(read_text(text, source="a.txt"), tiny_gazetteer(), manifest_row=row)
    got = {(e.place, e.date.isoformat(), e.side.value) for e in extraction.events}
    assert got == expected, extraction.notes
    if expected and next(iter(expected))[2] != "independent" and "said" not in text:
        assert all(outlet.split()[0].lower() in e.side_cue.lower() for e in extraction.events)


def test_without_any_date_events_are_left_out_and_said_so() -> None:
    from mapapp.pipeline import extract_document
    from mapapp.pipeline.read import read_text

    extraction = extract_document(
        read_text("Drone menyerang Tartar, kata Kemenhan Azerbaijan.", source="a.txt"), tiny_gazetteer()
    )
    assert extraction.article.published is None and extraction.events == ()
    assert any("left out events" in note and "Tartar" in note for note in extraction.notes)


@pytest.mark.parametrize(
    ("table", "broken", "message"),
    [
        ("events.toml", "[shelling]\nid = ['tembak']\n", "unknown key 'shelling': expected one of attack"),
        (
            "speakers.toml",
            "[sides.russia]\nterms = ['kremlin']\n",
            "unknown key 'russia': expected one of armenia",
        ),
        ("events.toml", "[attack]\nweight = 2.0\nid = ['serang']\n", "expected weight in (0, 1]"),
        ("timeline.toml", "[months]\nid = ['januari']\n", "expected 12 month names"),
        ("events.toml", "[attack]\nid = ['(unclosed']\n", "bad pattern"),
    ],
    ids=["unknown-event-kind", "unknown-side", "bad-weight", "short-month-list", "bad-regex"],
)
def test_rule_tables_fail_naming_the_table_and_the_valid_keys(
    tmp_path: Path, table: str, broken: str, message: str
) -> None:
    import shutil

    from mapapp.errors import CueTableError
    from mapapp.pipeline.cues import HERE, load_cues

    for source in HERE.glob("*.toml"):
        shutil.copy(source, tmp_path / source.name)
    (tmp_path / table).write_text(broken, encoding="utf-8")  # the broken table alone
    with pytest.raises(CueTableError, match=table.replace(".", r"\.")) as info:
        load_cues(tmp_path)
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Rudal menghantam Ganja pada Minggu (4/10), menewaskan dua warga sipil.", ("attack", "casualties")),
        ("Azerbaijan said on Sunday its forces had captured Jabrayil.", ("capture",)),
        ("Thousands fled Stepanakert on Sunday as buildings were destroyed.", ("damage", "evacuation")),
        ("Sejumlah roket jatuh di pinggiran Stepanakert pada Minggu (4/10).", ("attack",)),
        ("Kota Shusha telah jatuh ke tangan pasukan Azerbaijan pada Minggu (4/10).", ("capture",)),
    ],
    ids=["strike-and-deaths", "capture", "damage-and-flight", "shells-fell", "town-fell"],
)
def test_events_say_what_happened(text: str, kinds: tuple[str, ...]) -> None:
    from mapapp.pipeline import extract_document
    from mapapp.pipeline.read import read_text

    doc = read_text(text, source="a.txt")
    extraction = extract_document(doc, tiny_gazetteer(), published=date(2020, 10, 5))
    assert [tuple(k.value for k in e.kinds) for e in extraction.events] == [kinds]


def test_what_happened_is_read_where_the_place_is_named() -> None:
    from mapapp.pipeline import extract_document
    from mapapp.pipeline.read import read_text

    text = (
        "Kementerian Pertahanan Azerbaijan mengatakan pasukannya telah merebut Jabrayil pada Minggu (4/10). "
        "Kementerian itu juga menyebut roket menghantam Tartar pada hari yang sama."
    )
    doc = read_text(text, source="a.txt")
    extraction = extract_document(doc, tiny_gazetteer(), published=date(2020, 10, 5))
    tartar = next(e for e in extraction.events if e.place == "Tartar")
    assert "merebut Jabrayil" in tartar.excerpt  # the speaker's sentence is shown for context...
    assert [k.value for k in tartar.kinds] == ["attack"]  # ...but its capture is Jabrayil's, not Tartar's


def test_an_edited_article_keeps_the_ids_of_the_claims_the_edit_left_alone() -> None:
    from mapapp.pipeline import extract_document
    from mapapp.pipeline.read import read_text

    first = (
        "Rudal menghantam Ganja pada Minggu (4/10), kata Hikmet Hajiyev.\n\n"
        "Drone menyerang Tartar pada Senin (5/10)."
    )
    edited = (
        first.replace("Hikmet Hajiyev", "Hikmet Hajiyev, penasihat presiden")
        + "\n\nPerundingan digelar di Moskwa."
    )

    def ids(text: str) -> dict[str, str]:
        doc = read_text(text, source="a.txt")
        extraction = extract_document(doc, tiny_gazetteer(), published=date(2020, 10, 6))
        return {e.place: e.id for e in extraction.events}

    assert ids(first) == ids(edited) and set(ids(first)) == {"Ganja", "Tartar"}
    # the same text under another name is another article: its own ids
    other = extract_document(read_text(first, source="b.txt"), tiny_gazetteer(), published=date(2020, 10, 6))
    assert not {e.id for e in other.events} & set(ids(first).values())
