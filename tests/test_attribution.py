"""Side attribution: the claimant is the speaker (quote, "kata", "menurut", "said"), never the attacker."""

from __future__ import annotations

import pytest

from mapapp.model import Side
from mapapp.pipeline.attribution import attribute_article, speech_frames

__all__: list[str] = []

A, Z, T, IND = Side.ARMENIA, Side.AZERBAIJAN, Side.THIRD_PARTY, Side.INDEPENDENT

# (id, sentences (one paragraph), index of the sentence with the place, place, expected side).
# Written for these tests in the styles of Indonesian outlets and English wire copy.
CASES = [
    (
        "id-ministry-claims-attacker-is-other",
        ["Kemenhan Azerbaijan mengklaim pasukan Armenia menggempur Tartar."],
        0,
        "Tartar",
        Z,
    ),
    (
        "en-spokesperson-said",
        ["An Armenian defence ministry spokesperson said Azerbaijani shells hit Martuni."],
        0,
        "Martuni",
        A,
    ),
    (
        "id-media",
        ["Media Armenia mengatakan, 3 warga sipil tewas dalam serangan udara Azerbaijan di kota Martakert."],
        0,
        "Martakert",
        A,
    ),
    (
        "id-kata-resident",
        ['"Kami bersembunyi di ruang bawah tanah," kata Anna, seorang penduduk Stepanakert, kepada AFP.'],
        0,
        "Stepanakert",
        IND,
    ),
    (
        "id-kata-ministry-anaphora",
        [
            "Kementerian Pertahanan Armenia merilis video serangan.",
            '"Drone Azerbaijan menghantam Martakert," kata kementerian itu.',
        ],
        1,
        "Martakert",
        A,
    ),
    (
        "id-menurut",
        ["Menurut Kementerian Pertahanan Azerbaijan, roket Armenia menghantam Tartar pada Senin."],
        0,
        "Tartar",
        Z,
    ),
    (
        "en-according-to",
        ["According to Armenia's defence ministry, drones struck Vardenis."],
        0,
        "Vardenis",
        A,
    ),
    (
        "id-reported-speech-next-sentence",
        [
            "Para pejabat Karabakh mengatakan Stepanakert dibombardir.",
            "Mereka mengatakan dua warga tewas di Shushi.",
        ],
        1,
        "Shushi",
        A,
    ),
    (
        "id-coordinated-verb",
        ["Azerbaijan merilis video dan mengatakan pasukannya merebut Talish."],
        0,
        "Talish",
        Z,
    ),
    (
        "id-officials-after-country",
        ["Armenia melaporkan pertempuran, sementara para pejabat mengatakan Martuni dibom."],
        0,
        "Martuni",
        A,
    ),
    (
        "en-trailing-said",
        ["Armenian shells hit Tartar on Monday, Azerbaijan's prosecutor general's office said."],
        0,
        "Tartar",
        Z,
    ),
    (
        "en-post-quote-said",
        ['"Ganja was hit by a Scud missile," said Hikmet Hajiyev, an aide to President Aliyev.'],
        0,
        "Ganja",
        Z,
    ),
    (
        "en-appositive",
        ["Shushan Stepanyan, the spokeswoman, said Azerbaijani drones hit Martakert."],
        0,
        "Martakert",
        A,
    ),
    (
        "third-party-russia",
        ["Kementerian Pertahanan Rusia mengatakan helikopter ditembak jatuh di dekat Yeraskh."],
        0,
        "Yeraskh",
        T,
    ),
    ("third-party-icrc", ["The ICRC said its staff saw damage in Stepanakert."], 0, "Stepanakert", T),
    ("ngo-independent", ["Human Rights Watch said cluster munitions hit Barda."], 0, "Barda", IND),
    (
        "journalist-own",
        ["Wartawan Reuters di Stepanakert mendengar ledakan sepanjang malam."],
        0,
        "Stepanakert",
        IND,
    ),
    ("narration", ["Tiga rumah hancur di Martuni."], 0, "Martuni", IND),
    (
        "narration-new-paragraph-does-not-inherit",
        ["Kemenhan Azerbaijan mengatakan Tartar diserang."],
        0,
        "Tartar",
        Z,
    ),
    (
        "karabakh-emergency-service",
        ["Karabakh's emergency service said two people died in Martuni."],
        0,
        "Martuni",
        A,
    ),
    (
        "then-is-no-coordination",
        ["Amnesty International kemudian menyimpulkan bahwa munisi tandan digunakan di Barda."],
        0,
        "Barda",
        IND,
    ),
    (
        "relay-before-the-speaker",
        [
            "Dilansir Reuters, juru bicara Kementerian Pertahanan Armenia mengatakan "
            "drone menghantam Martakert."
        ],
        0,
        "Martakert",
        A,
    ),
    (
        "unknown-named-person",
        ["Albert Voskanyan said the shelling of Stepanakert never stopped."],
        0,
        "Stepanakert",
        IND,
    ),
]


@pytest.mark.parametrize(
    ("sentences", "index", "place", "side"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_side(sentences: list[str], index: int, place: str, side: Side) -> None:
    attribution = attribute_article(sentences, paragraphs=[0] * len(sentences))
    claim = attribution.claim_at(index, sentences[index].index(place))
    assert claim.side is side, claim
    assert claim.cue
    assert 0.0 < claim.confidence <= 1.0


def test_frameless_sentence_continues_the_speaker_within_a_paragraph_only() -> None:
    sentences = [
        "Kemenhan Armenia mengatakan drone Azerbaijan menyerang Vardenis.",
        "Sebuah bus terbakar di Vardenis.",
    ]
    same = attribute_article(sentences, paragraphs=[0, 0])
    apart = attribute_article(sentences, paragraphs=[0, 1])
    assert same.claim_at(1, 23).side is A
    assert apart.claim_at(1, 23).side is IND
    assert apart.claim_at(1, 23).cue == "unattributed narration"


@pytest.mark.parametrize(
    ("sentence", "denier"),
    [
        ("Namun, Armenia membantah laporan tersebut.", A),
        ("Baku denied the claim.", Z),
        ("Kementerian Pertahanan Azerbaijan menyangkal tuduhan itu.", Z),
    ],
    ids=["id-membantah", "en-denied-metonym", "id-menyangkal"],
)
def test_denials_are_found_with_the_denier(sentence: str, denier: Side) -> None:
    attribution = attribute_article([sentence])
    assert [side for _, side in attribution.denials(0)] == [denier]


@pytest.mark.parametrize(
    ("sentences", "side"),
    [
        (
            ['"Kami diserang di Martakert sepanjang malam.', 'Banyak rumah hancur," kata Shushan Stepanyan.'],
            A,
        ),
        (["“Drones hit Tartar all night.", "Two were killed,” said Hikmet Hajiyev."], Z),
        (
            [
                '"Kami bersembunyi di Stepanakert.',
                "Ini mengerikan.",
                'Rumah kami hancur," kata seorang warga.',
            ],
            IND,
        ),
    ],
    ids=["id-ministry", "en-aide", "id-resident-three-sentences"],
)
def test_a_quote_over_several_sentences_belongs_to_its_closing_speaker(
    sentences: list[str], side: Side
) -> None:
    attribution = attribute_article(sentences, paragraphs=[0] * len(sentences))
    claim = attribution.claim_at(0, 10)
    assert claim.side is side and "end of the quote" in claim.cue


def test_boilerplate_has_no_frames() -> None:
    attribution = attribute_article(["Baca juga: Armenia mengatakan Ganja diserang"], boilerplate=[True])
    assert attribution.frames == ((),)


def test_frames_read_the_speaker_not_the_content() -> None:
    frames = speech_frames("Pasukan Armenia menembaki Tartar, kata Kementerian Pertahanan Azerbaijan.")
    assert [(f.kind, f.side) for f in frames] == [("after", Z)]
