"""Page anatomy on the five seeds and on page styles they do not show."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from mapapp.manifest import ManifestRow, load_manifest
from mapapp.model import Sentence
from mapapp.pipeline.anatomy import Page, find_dateline, find_page_date, parse_page, split_sentences
from mapapp.pipeline.language import detect_language
from mapapp.pipeline.read import read_document, read_text

SEEDS = Path(__file__).parent.parent / "seeds"
FIXTURES = Path(__file__).parent / "fixtures"
WIB = timezone(timedelta(hours=7))
SEED_FILES = sorted(p.name for p in SEEDS.glob("*.txt"))


def _page(name: str, **kwargs: object) -> Page:
    return parse_page(read_document(SEEDS / name), **kwargs)  # type: ignore[arg-type]


def _sentence_with(page: Page, words: str) -> Sentence:
    found = [s for s in page.sentences if words in s.text]
    assert found, f"no sentence contains {words!r}"
    return found[0]


# (file, title, outlet, published, published_how, published_time, dateline) from the page alone
SEEDS_WITHOUT_MANIFEST = [
    ("000_6cc985955b2ee2e6.txt", "", "Suara.com", None, "none", None, ""),
    (
        "001_9da027cb6d3a529b.txt",
        "Azerbaijan dan Armenia Tolak Perundingan di Tengah Eskalasi Konflik",
        "Kompas.com",
        date(2020, 9, 30),
        "page",
        datetime(2020, 9, 30, 12, 6, tzinfo=WIB),
        "",
    ),
    ("002_8f93afd6af636940.txt", "", "Bisnis.com", date(2020, 10, 4), "latest-in-text", None, "JAKARTA"),
    (
        "003_f0e90226f7118da7.txt",
        "Konflik Armenia-Azerbaijan Memanas, 320 Tentara Tewas",
        "",
        date(2020, 10, 7),
        "page",
        datetime(2020, 10, 7, 20, 23, tzinfo=WIB),
        "",
    ),
    (
        "004_57a5f8c875698f1e.txt",
        "Perang Armenia dan Azerbaijan Terus Berlanjut, Rusia Tawarkan Jadi Tuan Rumah Pembicaraan Damai",
        "Serambinews.com",
        date(2020, 10, 1),
        "latest-in-text",
        None,
        "MOSKWA",
    ),
]


@pytest.mark.parametrize(
    ("name", "title", "outlet", "published", "how", "time", "dateline"),
    [pytest.param(*row, id=row[0][:3]) for row in SEEDS_WITHOUT_MANIFEST],
)
def test_seed_anatomy_from_the_page_alone(
    name: str, title: str, outlet: str, published: date | None, how: str, time: datetime | None, dateline: str
) -> None:
    page = _page(name)
    article = page.article
    assert (article.title, article.outlet) == (title, outlet)
    assert (article.published, article.published_how, article.published_time) == (published, how, time)
    assert page.dateline_text == dateline
    assert article.language == "id"
    assert article.source == name


def test_seed_notes_say_where_the_date_came_from() -> None:
    assert _page("004_57a5f8c875698f1e.txt").notes == (
        "no publication date found on the page; used the latest date named in the text: 2020-10-01",
    )
    assert any(
        "no publication date found on the page or in the text" in n for n in _page(SEED_FILES[0]).notes
    )
    assert _page("001_9da027cb6d3a529b.txt").notes == ()


@pytest.mark.parametrize("name", SEED_FILES, ids=lambda n: n[:3])
def test_manifest_overrides_the_page(name: str) -> None:
    row = load_manifest(SEEDS / "manifest.csv")[name]
    article = _page(name, manifest=row).article
    assert (article.title, article.outlet, article.published, article.language) == (
        row.title,
        row.outlet,
        row.published,
        row.language,
    )
    assert article.published_how == "manifest"


def test_option_beats_manifest_beats_page() -> None:
    name = "001_9da027cb6d3a529b.txt"
    row = ManifestRow(file=name, published=date(2020, 10, 2))
    assert _page(name, manifest=row).article.published == date(2020, 10, 2)
    opt = _page(name, manifest=row, published=date(2020, 10, 9)).article
    assert (opt.published, opt.published_how, opt.published_time) == (date(2020, 10, 9), "option", None)
    same_day = _page(name, manifest=ManifestRow(file=name, published=date(2020, 9, 30))).article
    assert same_day.published_time == datetime(2020, 9, 30, 12, 6, tzinfo=WIB)


@pytest.mark.parametrize("name", SEED_FILES, ids=lambda n: n[:3])
def test_sentence_offsets_are_exact_and_ordered(name: str) -> None:
    page = _page(name)
    text = page.article.text
    previous_end = 0
    for sentence in page.sentences:
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip() and sentence.text
        assert sentence.start >= previous_end
        previous_end = sentence.end
    assert len(page.reasons) == len(page.sentences)
    assert all(bool(r) == s.boilerplate for r, s in zip(page.reasons, page.sentences, strict=True))


@pytest.mark.parametrize("name", SEED_FILES, ids=lambda n: n[:3])
def test_every_read_also_line_is_boilerplate(name: str) -> None:
    page = _page(name)
    teasers = [s for s in page.sentences if s.text.lower().startswith("baca")]
    assert all(s.boilerplate for s in teasers)


def test_gold_evidence_is_never_boilerplate() -> None:
    gold = json.loads((SEEDS / "gold.json").read_text(encoding="utf-8"))
    checked = 0
    for article in gold:
        page = _page(article["file"])
        for event in article["events"]:
            assert not _sentence_with(page, event["evidence"]).boilerplate, event["evidence"]
            checked += 1
    assert checked == 6


def test_seed001_terkini_lainnya_list_and_page_furniture() -> None:
    page = _page("001_9da027cb6d3a529b.txt")
    text = page.article.text
    list_start = text.index("Terkini Lainnya")
    after = [s for s in page.sentences if s.start >= list_start]
    assert len(after) > 40
    assert all(s.boilerplate for s in after)
    for furniture in (
        "Baca berita tanpa iklan.",
        "Miranti Kencana Wirawan",
        "Penulis",
        "Sumber Aljazeera",
        "Kompas.com - 30/09/2020, 12:06 WIB",
        "Simak breaking news",
        "Halaman:",
    ):
        assert _sentence_with(page, furniture).boilerplate, furniture
    assert _sentence_with(page, "Eskalasi Konflik").boilerplate  # the headline
    # distractors that only live in teasers and lists never reach the body
    body = " ".join(s.text for s in page.body)
    for name in (
        "Kharkiv",
        "Rafah",
        "Gaza",
        "Wuhan",
        "Texas",
        "India",
        "Italia",
        "Ankara",
        "Korea Utara",
        "Yerevan",
    ):
        assert name not in body, name


def test_seed001_body_sentences_are_kept() -> None:
    page = _page("001_9da027cb6d3a529b.txt")
    for words in (
        "Awal pekan ini, Armenia menuduh Turki",
        "pada hari Selasa kemarin",
        "Kantor kejaksaan Azerbaijan",
        "Pihak Azerbaijan belum mengungkapkan",
        "Mereka mengatakan sebuah bus terbakar",
        "Namun, Armenia membantah laporan tersebut.",
    ):
        assert not _sentence_with(page, words).boilerplate, words
    assert len(page.body) == 16


def test_seed001_multi_sentence_quote_stays_with_its_speaker() -> None:
    page = _page("001_9da027cb6d3a529b.txt")
    quote = _sentence_with(page, "Apa yang bisa saya katakan?")
    assert quote.text.endswith("kata Albert Voskanyan, seorang penduduk Stepanakert, kepada Reuters.")
    pm = _sentence_with(page, "Ada korban di antara militer")
    assert pm.text.endswith("kata PM Armenia itu.")


def test_seed000_related_headline_bullets_and_fact_box() -> None:
    page = _page("000_6cc985955b2ee2e6.txt")
    bullets = [s for s in page.sentences if s.text.startswith("- ")]
    assert len(bullets) == 14
    assert all(s.boilerplate for s in bullets)
    for words in ("'Beberapa menit' setelah gencatan senjata", "Wilayah pegunungan dengan luas 4.400 km2"):
        assert _sentence_with(page, words).boilerplate
    assert _sentence_with(page, "Apa yang dikatakan Putin?").boilerplate  # a subheading
    for words in (
        "kota Martuni dan desa-desa terdekat telah dibom",
        "pada hari Kamis, dan menuduh Armenia",
        "Armenia membantahnya.",
        "hampir 5.000 orang tewas",
    ):
        assert not _sentence_with(page, words).boilerplate, words


def test_seed003_captions_icons_and_ads() -> None:
    page = _page("003_f0e90226f7118da7.txt")
    for words in (
        "comment",
        "sosmed-whatsapp-white",
        "ADVERTISEMENT",
        "zoom-in-whitePerbesar",
        "Foto: Defence Ministry",
        "Ilham Aliyev Foto: Francois Linoir/Reuters",
        "7 Oktober 2020 20:23 WIB",
    ):
        assert all(s.boilerplate for s in page.sentences if words in s.text), words
    assert not _sentence_with(
        page, "mencatat 40 kasus kematian baru personel militernya pada Rabu (7/10)."
    ).boilerplate
    assert len(page.body) == 12


def test_seed004_header_and_dateline() -> None:
    page = _page("004_57a5f8c875698f1e.txt")
    text = page.article.text
    assert page.dateline == (text.index("MOSKWA"), text.index("MOSKWA") + len("MOSKWA"))
    assert _sentence_with(page, "Luar Negeri").boilerplate
    deck = page.sentences[2]
    assert deck.text.startswith("Rusia menawarkan diri") and deck.boilerplate
    first = _sentence_with(page, "SERAMBINEWS.COM, MOSKWA - Rusia")
    assert not first.boilerplate
    assert not any(s.boilerplate for s in page.sentences if s.start >= first.start)


def test_seed002_bare_baca_juga_header_does_not_swallow_the_next_paragraph() -> None:
    page = _page("002_8f93afd6af636940.txt")
    assert _sentence_with(page, "Baca Juga").boilerplate
    assert not _sentence_with(page, "Nagorno-Karabakh dikuasai oleh etnis Armenia").boilerplate
    assert page.dateline_text == "JAKARTA"
    assert len(page.body) == len(page.sentences) - 1


def test_html_page_anatomy() -> None:
    page = parse_page(read_document(FIXTURES / "wire_story.html"))
    article = page.article
    assert article.title == "Azerbaijan says Armenian forces shelled Ganja; Armenia denies"
    assert (article.outlet, article.language, article.published, article.published_how) == (
        "Caucasus Wire",
        "en",
        date(2020, 10, 4),
        "page",
    )
    assert article.published_time == datetime(2020, 10, 4, 9, 12, tzinfo=timezone(timedelta(hours=4)))
    assert page.dateline_text == "BAKU"
    assert _sentence_with(page, "Read more:").boilerplate
    assert _sentence_with(page, "Reporting by Nailia Bagirova").boilerplate
    assert not _sentence_with(page, "Stepanakert came under fire").boilerplate
    assert len(page.body) == 6


ENGLISH_PAGE = """Armenia says Azerbaijani drones hit Martuni
Oct 31, 2020 09:12 AM
By Staff
STEPANAKERT, Azerbaijan (AP) — Azerbaijani drones struck Martuni on Friday, Armenian officials said. \
Read more: Five things to know about Nagorno-Karabakh
Mr. Hovhannisyan, a spokesman, said U.S. officials were told at 9 a.m. The strike killed two people.
"We heard the first blast. Then the second one came," said a resident, Anna S. Petrosyan.
Most read
Floods hit northern Italy
Markets rally after central bank decision
Reporting by Staff; Editing by Desk
"""


def test_english_page_anatomy() -> None:
    page = parse_page(read_text(ENGLISH_PAGE, source="ap.txt"))
    article = page.article
    assert article.title == "Armenia says Azerbaijani drones hit Martuni"
    assert (article.published, article.published_how) == (date(2020, 10, 31), "page")
    assert article.published_time == datetime(2020, 10, 31, 9, 12)
    assert (article.outlet, article.language) == ("AP", "en")
    assert page.dateline_text == "STEPANAKERT, Azerbaijan"
    assert [s.text for s in page.body] == [
        "STEPANAKERT, Azerbaijan (AP) — Azerbaijani drones struck Martuni on Friday, "
        "Armenian officials said.",
        "Mr. Hovhannisyan, a spokesman, said U.S. officials were told at 9 a.m.",
        "The strike killed two people.",
        '"We heard the first blast. Then the second one came," said a resident, Anna S. Petrosyan.',
    ]
    assert _sentence_with(page, "Read more: Five things").boilerplate
    assert _sentence_with(page, "Floods hit northern Italy").boilerplate


def test_popular_list_ends_at_the_next_paragraph_of_prose() -> None:
    text = (
        "Bisnis.com, JAKARTA - Azerbaijan mengatakan pasukannya merebut Jabrayil pada Minggu (4/10/2020).\n"
        "TERPOPULER\n"
        "Harga emas naik lagi\n"
        "Jadwal kereta berubah mulai besok\n"
        "Armenia membantah klaim itu dan mengatakan pasukannya tetap bertahan di kota tersebut.\n"
    )
    page = parse_page(read_text(text, source="x.txt"))
    flags = [(s.text[:12], s.boilerplate) for s in page.sentences]
    assert flags == [
        ("Bisnis.com, ", False),
        ("TERPOPULER", True),
        ("Harga emas n", True),
        ("Jadwal keret", True),
        ("Armenia memb", False),
    ]


def test_inline_read_also_starts_its_own_flagged_sentence() -> None:
    text = "Kota Tartar dibombardir pada Sabtu. Baca juga: Gencatan Senjata Runtuh di Hari Pertama"
    page = parse_page(read_text(text, source="x.txt"), published=date(2020, 10, 5))
    assert [(s.text, s.boilerplate) for s in page.sentences] == [
        ("Kota Tartar dibombardir pada Sabtu.", False),
        ("Baca juga: Gencatan Senjata Runtuh di Hari Pertama", True),
    ]


def test_repeated_paragraph_is_kept_once() -> None:
    para = "Pasukan Armenia menembaki kota Terter pada Senin malam, kata kementerian itu."
    page = parse_page(
        read_text(f"{para}\n{para}\nKemudian sirene berbunyi di kota itu sepanjang malam.", source="x")
    )
    assert [s.boilerplate for s in page.sentences] == [True, True, False]
    page = parse_page(read_text(f"{para}\nKemudian sirene berbunyi lagi.\n{para}", source="x"))
    assert [s.boilerplate for s in page.sentences] == [False, False, True]


def test_a_page_without_any_date() -> None:
    page = parse_page(
        read_text("Pasukan Armenia menembaki kota Terter, kata kementerian itu.", source="x.txt")
    )
    assert (page.article.published, page.article.published_how) == (None, "none")
    assert "give --published or a manifest" in page.notes[0]


def test_context_gives_previous_body_sentences_of_the_paragraph() -> None:
    text = "Pada Rabu, kota Martakert dibom. Tiga warga tewas. Dua rumah hancur.\nParagraf baru di sini."
    page = parse_page(read_text(text, source="x.txt"), published=date(2020, 10, 1))
    assert page.context(2) == ("Pada Rabu, kota Martakert dibom.", "Tiga warga tewas.")
    assert page.context(2, n=1) == ("Tiga warga tewas.",)
    assert page.context(3) == ()


# (id, text, expected spans as texts)
SPLITS = [
    ("mr-title", "Mr. Aliyev spoke. Then he left.", ["Mr. Aliyev spoke.", "Then he left."]),
    (
        "dr-lowercase",
        "Menurut dr. Hasan korban dibawa ke rumah sakit. Dua tewas.",
        ["Menurut dr. Hasan korban dibawa ke rumah sakit.", "Dua tewas."],
    ),
    ("no-number", "Blok No. 5 hancur. Warga mengungsi.", ["Blok No. 5 hancur.", "Warga mengungsi."]),
    (
        "month-abbreviation",
        "It happened on Oct. 28 in Barda. Many died.",
        ["It happened on Oct. 28 in Barda.", "Many died."],
    ),
    (
        "thousands",
        "Hampir 5.000 orang tewas. Itu angka besar.",
        ["Hampir 5.000 orang tewas.", "Itu angka besar."],
    ),
    (
        "numeric-date",
        "Kota dibom pada Minggu (27/9). Kemudian warga lari.",
        ["Kota dibom pada Minggu (27/9).", "Kemudian warga lari."],
    ),
    (
        "us-before-name",
        "U.S. Secretary Pompeo met them. They talked.",
        ["U.S. Secretary Pompeo met them.", "They talked."],
    ),
    (
        "us-ends-sentence",
        "Talks were held in the U.S. The sides agreed.",
        ["Talks were held in the U.S.", "The sides agreed."],
    ),
    ("initial", "Vladimir V. Putin said so. Fine.", ["Vladimir V. Putin said so.", "Fine."]),
    ("jalan", "Ledakan di Jl. Sudirman. Dua luka.", ["Ledakan di Jl. Sudirman.", "Dua luka."]),
    (
        "question-exclaim",
        "Apa yang terjadi? Perang! Itu saja.",
        ["Apa yang terjadi?", "Perang!", "Itu saja."],
    ),
    (
        "curly-quote-two-sentences",
        "“Ada korban. Puluhan tewas,” kata PM itu. Lalu ia pergi.",
        ["“Ada korban. Puluhan tewas,” kata PM itu.", "Lalu ia pergi."],
    ),
    (
        "closing-quote-boundary",
        'He said: "They fired first." The ministry denied it.',
        ['He said: "They fired first."', "The ministry denied it."],
    ),
    (
        "lowercase-after-period-is-not-a-boundary",
        "Kota itu dibom sekitar pk. sembilan pagi.",
        ["Kota itu dibom sekitar pk. sembilan pagi."],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [pytest.param(*row[1:], id=row[0]) for row in SPLITS])
def test_sentence_splitter(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in split_sentences(text)] == expected


# (id, header line, date, time)
PAGE_DATES = [
    (
        "kompas",
        "Kompas.com - 30/09/2020, 12:06 WIB",
        date(2020, 9, 30),
        datetime(2020, 9, 30, 12, 6, tzinfo=WIB),
    ),
    (
        "tribun",
        "Senin, 5 Oktober 2020 | 07:40 WIB",
        date(2020, 10, 5),
        datetime(2020, 10, 5, 7, 40, tzinfo=WIB),
    ),
    ("kumparan", "7 Oktober 2020 20:23 WIB", date(2020, 10, 7), datetime(2020, 10, 7, 20, 23, tzinfo=WIB)),
    ("english-long", "Friday, October 2, 2020", date(2020, 10, 2), None),
    ("english-ampm", "Oct 31, 2020 09:12 AM", date(2020, 10, 31), datetime(2020, 10, 31, 9, 12)),
    (
        "english-pm",
        "Published: Nov 9, 2020 11:45 PM GMT",
        date(2020, 11, 9),
        datetime(2020, 11, 9, 23, 45, tzinfo=UTC),
    ),
    ("diterbitkan", "Diterbitkan: 03/11/2020", date(2020, 11, 3), None),
    ("iso", "2020-10-04T09:12", date(2020, 10, 4), datetime(2020, 10, 4, 9, 12)),
    ("british", "Updated 10 November 2020", date(2020, 11, 10), None),
    ("us-numeric", "10/27/2020 09:12 PM", date(2020, 10, 27), datetime(2020, 10, 27, 21, 12)),
]


@pytest.mark.parametrize(("line", "day", "time"), [pytest.param(*row[1:], id=row[0]) for row in PAGE_DATES])
def test_page_date_styles(line: str, day: date, time: datetime | None) -> None:
    found = find_page_date(line)
    assert found is not None
    assert (found.date, found.time) == (day, time)


def test_no_page_date_in_prose_without_a_year() -> None:
    assert find_page_date("Kota itu dibom pada Minggu (27/9).") is None


# (id, first body line, dateline words or "", outlet)
DATELINES = [
    ("serambi", "SERAMBINEWS.COM, MOSKWA - Rusia menawarkan diri", "MOSKWA", "Serambinews.com"),
    ("bisnis", "Bisnis.com, JAKARTA - Pertempuran sengit", "JAKARTA", "Bisnis.com"),
    ("kompas-city-first", "MOSKWA, KOMPAS.com - Rusia menawarkan", "MOSKWA", "KOMPAS.com"),
    ("kompas-lowercase-city", "Moskwa, Kompas.com - Rusia menawarkan", "Moskwa", "Kompas.com"),
    ("misspelt-city", "MOSKOW, KOMPAS.com - Rusia menawarkan", "MOSKOW", "KOMPAS.com"),
    ("reuters", "BAKU (Reuters) — Azerbaijan said", "BAKU", "Reuters"),
    ("reuters-lowercase", "baku (reuters) - azerbaijan said", "baku", "Reuters"),
    ("reuters-dated", "BAKU, Oct 4 (Reuters) - Azerbaijan said", "BAKU", "Reuters"),
    ("antara-dated", "JAKARTA, 5 Okt (Antara) - Armenia dan", "JAKARTA", "Antara"),
    ("ap-country", "STEPANAKERT, Azerbaijan (AP) — The city", "STEPANAKERT, Azerbaijan", "AP"),
    ("caps-dash", "YEREVAN — Armenia said", "YEREVAN", ""),
    ("two-cities", "BAKU/YEREVAN (Reuters) - Azerbaijani President", "BAKU/YEREVAN", "Reuters"),
    ("detik-title-case", "Jakarta - Katedral Ghazanchetsots rusak parah", "Jakarta", ""),
    ("outlet-only", "Suara.com - Presiden Rusia", "", "Suara.com"),
    ("not-a-dateline", "Sementara itu, Armenia - yang didukung Rusia - membantah.", "", ""),
    ("plain-sentence", "Azerbaijan said on Sunday that Ganja was shelled.", "", ""),
]


@pytest.mark.parametrize(
    ("line", "words", "outlet"), [pytest.param(*row[1:], id=row[0]) for row in DATELINES]
)
def test_dateline_styles(line: str, words: str, outlet: str) -> None:
    span, found_outlet = find_dateline(line)
    assert (line[span[0] : span[1]] if span else "") == words
    assert found_outlet == outlet


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Pasukan Azerbaijan menembaki kota itu pada hari Minggu, kata kementerian pertahanan.", "id"),
        ("Azerbaijani forces shelled the town on Sunday, the defence ministry said.", "en"),
        ("Stepanakert", ""),
    ],
    ids=["id", "en", "too-short"],
)
def test_language_detection(text: str, language: str) -> None:
    assert detect_language(text) == language


CORPUS = Path(__file__).parent / "corpus"


@pytest.mark.parametrize(
    "name", sorted(load_manifest(CORPUS / "manifest.csv")), ids=lambda n: n.split("_")[0]
)
def test_unseen_style_corpus_anatomy_from_the_page_alone(name: str) -> None:
    """Pages in other outlets' styles: the page alone gives the manifest's title, date and language,
    and no sentence that states a gold event is flagged as boilerplate."""
    row = load_manifest(CORPUS / "manifest.csv")[name]
    page = parse_page(read_document(CORPUS / name))
    article = page.article
    assert " ".join(article.title.split()) == " ".join(row.title.split())
    assert (article.published, article.published_how, article.language) == (
        row.published,
        "page",
        row.language,
    )
    assert article.outlet
    gold = {g["file"]: g for g in json.loads((CORPUS / "gold.json").read_text(encoding="utf-8"))}
    for event in gold[name]["events"]:
        start = article.text.find(event["evidence"])
        assert start >= 0, event["evidence"]
        end = start + len(event["evidence"])
        stating = [s for s in page.sentences if s.start < end and s.end > start]
        assert stating and not any(s.boilerplate for s in stating), event["evidence"]


def test_navigation_and_banners_are_not_headlines() -> None:
    text = (
        "The Guardian\n"
        "News | Opinion | Sport | Culture\n"
        "Home News Sport Reel Worklife Travel\n"
        "News | Armenia-Azerbaijan conflict\n"
        "World > Europe\n"
        "Available for everyone, funded by readers\n"
        "Support independent journalism in the Caucasus — become a member\n"
        "October 9, 2020 / 4:41 PM / Updated 2 hours ago\n"
        "Drones hit Martuni as fighting spreads\n"
        "Azerbaijani drones struck Martuni on Friday morning, Armenian officials said in a statement.\n"
    )
    page = parse_page(read_text(text, source="x.txt"))
    assert page.article.title == "Drones hit Martuni as fighting spreads"
    assert page.article.outlet == "The Guardian"
    assert page.article.published == date(2020, 10, 9)
    assert [s.boilerplate for s in page.sentences] == [True] * 9 + [False]


# (id, a line inside an article body, whether it is page clutter)
BODY_LINES = [
    ("baca-juga", "Baca juga: Korban Serangan Armenia di Ganja Berlindung di Asrama Kampus", True),
    ("baca-juga-caps", "BACA JUGA: Perang Azerbaijan-Armenia Hari Kedua", True),
    ("read-more", "READ MORE: Why are Armenia and Azerbaijan fighting?", True),
    ("also-read", "Also read: Ganja hit again", True),
    ("tribun-syndication", "Artikel ini telah tayang di Tribunnews.com dengan judul Perang Karabakh", True),
    ("antara-byline", "Pewarta: Yuni Arisandy Editor: Mulyo Sunyoto", True),
    ("liputan6-video", "Saksikan Video Pilihan di Bawah Ini:", True),
    ("okezone-follow", "Follow Berita Okezone di Google News", True),
    ("kompas-google-news", "Cek Berita dan Artikel yang lain di Google News", True),
    ("reuters-credit", "Reporting by Nailia Bagirova in Baku; Editing by Frances Kerry", True),
    ("reuters-file-photo", "FILE PHOTO: A man walks past a damaged building in Ganja", True),
    ("ap-credit", "Associated Press writer Aida Sultanova in Baku contributed to this report.", True),
    ("photo-credit", "Warga memeriksa kerusakan di Ganja. Foto: AFP/Bulent Kilic", True),
    ("editor-initials", "(dea/dea)", True),
    ("editor-initials-brackets", "[ps/ka]", True),
    ("source-line", "Sumber: Reuters, AFP", True),
    ("share-counter", "Share 0", True),
    ("comment-counter", "12", True),
    ("copyright", "Copyright © 2020 ANTARA", True),
    # body text that only looks like clutter
    (
        "military-source",
        "Sumber militer mengatakan tiga desa dibom pada Senin malam oleh artileri Azerbaijan.",
        False,
    ),
    ("sources-plural", "Sumber-sumber Armenia menyebutkan korban tewas lebih dari 200 orang.", False),
    ("photos-show", "Foto-foto yang beredar menunjukkan kerusakan parah di pusat kota Ganja.", False),
    ("share-prices", "Share prices in Baku fell after the strike on the pipeline, traders said.", False),
    ("global-word", "Global leaders called for an immediate ceasefire in the region on Sunday.", False),
]


@pytest.mark.parametrize(("line", "clutter"), [pytest.param(*row[1:], id=row[0]) for row in BODY_LINES])
def test_clutter_lines_inside_a_body(line: str, clutter: bool) -> None:
    before = "BAKU (Reuters) - Armenian forces shelled Ganja on Sunday, killing one civilian, officials said."
    after = "Armenia denied the claim and said its forces were not targeting civilians in Azerbaijan."
    page = parse_page(read_text(f"{before}\n{line}\n{after}", source="x.txt"), published=date(2020, 10, 4))
    middle = [s for s in page.sentences if s.paragraph == 1]
    assert middle and all(s.boilerplate == clutter for s in middle), [(s.text, s.boilerplate) for s in middle]
    assert not page.sentences[0].boilerplate and not page.sentences[-1].boilerplate


def test_heading_gives_the_subheading_a_sentence_sits_under() -> None:
    text = (
        "Jakarta, IDN Times - Berikut kronologi perang berdasarkan pernyataan resmi kedua pihak.\n"
        "1. 27 September: perang pecah\n"
        "Pertempuran meletus di sepanjang garis kontak pada Minggu pagi.\n"
        "2. 4 Oktober: klaim pertama\n"
        "Presiden Aliyev mengumumkan pasukannya merebut kota Jabrayil.\n"
    )
    page = parse_page(read_text(text, source="x.txt"), published=date(2020, 11, 10))
    index = {s.text[:12]: i for i, s in enumerate(page.sentences)}
    assert page.heading(index["Jakarta, IDN"]) == ""
    assert page.heading(index["Pertempuran "]) == "1. 27 September: perang pecah"
    assert page.heading(index["Presiden Ali"]) == "2. 4 Oktober: klaim pertama"


def test_a_long_menu_before_the_story_and_a_footer_menu_after_it() -> None:
    menu = "\n".join(f"Section {i} | Video | Opinion | Sport" for i in range(20))
    text = (
        f"{menu}\nDrones hit Martuni as fighting spreads\nOct 2, 2020\n"
        "STEPANAKERT (AP) — Azerbaijani drones struck Martuni on Friday, Armenian officials said.\n"
        "About | Contact | Privacy\n"
    )
    page = parse_page(read_text(text, source="x.txt"))
    assert page.article.title == "Drones hit Martuni as fighting spreads"
    assert page.article.published == date(2020, 10, 2)
    assert [s.text[:11] for s in page.body] == ["STEPANAKERT"]


def _quote_spans_one_character_at_a_time(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The quotation scan written the plain way: the reference for the regex-driven one."""
    spans: list[tuple[int, int]] = []
    open_curly: int | None = None
    open_straight: int | None = None
    i = start
    while i < end:
        ch = text[i]
        if ch == "“":
            open_curly = i
        elif ch == "”" and open_curly is not None:
            spans.append((open_curly, i))
            open_curly = None
        elif ch == '"' or (ch == "'" and text[i : i + 2] == "''"):
            if open_straight is None:
                open_straight = i
            else:
                spans.append((open_straight, i))
                open_straight = None
            if ch == "'":
                i += 1
        i += 1
    return [s for s in spans if s[1] - s[0] <= 1500]


def test_quote_spans_equal_the_plain_scan() -> None:
    import random

    from mapapp.pipeline.anatomy import _quote_spans

    rng = random.Random(13)
    for _ in range(20000):
        text = "".join(rng.choice("ab '\"“”") for _ in range(rng.randint(0, 16)))
        start = rng.randint(0, len(text))
        end = rng.randint(start, len(text))
        assert _quote_spans(text, start, end) == _quote_spans_one_character_at_a_time(text, start, end), (
            text, start, end,
        )
