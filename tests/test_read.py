"""Reading pages: encodings, refusals with clear reasons, HTML extraction and metadata."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from mapapp.errors import ArticleError
from mapapp.pipeline.read import DEFAULT_MAX_BYTES, RawDocument, read_bytes, read_document, read_text

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).parent.parent / "seeds"

BODY = "Café – “quoted” claims: shells hit Khankendi on Sunday, the ministry’s spokesman said.\nSecond line."

# (id, encoding used to write, bytes prefix, expected decoded text, expected encoding name)
ENCODINGS = [
    ("utf-8", "utf-8", b"", BODY, "utf-8"),
    ("utf-8-bom", "utf-8", b"\xef\xbb\xbf", BODY, "utf-8"),
    ("utf-16-le-bom", "utf-16-le", b"\xff\xfe", BODY, "utf-16-le"),
    ("utf-16-be-bom", "utf-16-be", b"\xfe\xff", BODY, "utf-16-be"),
    ("utf-16-le-no-bom", "utf-16-le", b"", BODY, "utf-16-le"),
    ("cp1252-smart-quotes", "cp1252", b"", BODY, "cp1252"),
    ("latin-1", "latin-1", b"", "Café naïve résumé in Stepanakert, Sunday.", "cp1252"),
    (
        "cp1251-russian",
        "cp1251",
        b"",
        "Степанакерт обстрелян в воскресенье, сообщили власти. Жители укрылись в подвалах.",
        "cp1251",
    ),
    ("azerbaijani-utf-8", "utf-8", b"", "Şuşa və Xankəndi: ğ ç ö ü ı ə", "utf-8"),
]


@pytest.mark.parametrize(
    ("codec", "prefix", "text", "expected_encoding"), [pytest.param(*row[1:], id=row[0]) for row in ENCODINGS]
)
def test_encodings_are_decoded(
    tmp_path: Path, codec: str, prefix: bytes, text: str, expected_encoding: str
) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(prefix + text.encode(codec))
    doc = read_document(path)
    assert doc.text == text
    assert doc.encoding == expected_encoding
    assert (doc.format, doc.source, doc.path) == ("txt", "article.txt", str(path))


def test_crlf_line_ends_become_newlines(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"BAKU (Reuters) - First.\r\nSecond.\r\n")
    assert read_document(path).text == "BAKU (Reuters) - First.\nSecond."


def test_a_stray_nul_byte_is_removed(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"Shells hit Ganja\x00 on Sunday, officials said. " + b"Two were wounded. " * 3)
    doc = read_document(path)
    assert "\x00" not in doc.text
    assert doc.text.startswith("Shells hit Ganja on Sunday")


def test_literal_script_in_a_txt_file_stays_text(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("The page said <script>alert('x')</script> and Martuni was shelled.", encoding="utf-8")
    assert "<script>alert('x')</script>" in read_document(path).text


def test_file_name_with_spaces_and_non_ascii_letters(tmp_path: Path) -> None:
    path = tmp_path / "Şuşa haberi — 4 Ekim 2020.txt"
    path.write_text("Şuşa şəhəri atəşə tutulub.", encoding="utf-8")
    doc = read_document(path)
    assert doc.source == "Şuşa haberi — 4 Ekim 2020.txt"
    assert doc.text == "Şuşa şəhəri atəşə tutulub."


def test_seed_reads_unchanged() -> None:
    path = SEEDS / "004_57a5f8c875698f1e.txt"
    doc = read_document(path)
    assert doc.text == path.read_text(encoding="utf-8").strip("\n")
    assert doc.source == "004_57a5f8c875698f1e.txt"


# (id, file name, bytes, words the reason must contain)
REFUSED = [
    ("empty", "a.txt", b"", "empty"),
    ("whitespace-only", "a.txt", b" \n\t\n ", "no text"),
    ("nul-heavy-binary", "a.txt", bytes(range(256)) * 40, "binary"),
    ("control-heavy-binary", "a.txt", b"\x01\x02\x03\x04\x05\x06 text " * 400, "binary"),
    ("pdf-renamed", "a.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    ("zip-renamed", "a.html", b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
    ("png-renamed", "a.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "PNG image"),
    ("unsupported-suffix", "a.pdf", b"text", "unsupported file type '.pdf'"),
    ("docx-suffix", "a.docx", b"text", "expected one of .htm, .html, .text, .txt, .xhtml"),
    ("no-suffix", "README", b"text", "(no suffix)"),
]


@pytest.mark.parametrize(("name", "data", "reason"), [pytest.param(*row[1:], id=row[0]) for row in REFUSED])
def test_unreadable_files_are_refused_with_a_reason(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ArticleError) as caught:
        read_document(path)
    assert reason in caught.value.reason
    assert caught.value.path == str(path)
    assert str(path) in str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ArticleError, match="no such file"):
        read_document(tmp_path / "nope.txt")


def test_a_directory_is_not_an_article(tmp_path: Path) -> None:
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(ArticleError, match="directory"):
        read_document(tmp_path / "folder.txt")


def test_a_50_mb_file_is_refused_naming_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: 50 MB on paper, nothing written
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(ArticleError) as caught:
        read_document(path)
    assert "50.0 MB" in caught.value.reason
    assert f"{DEFAULT_MAX_BYTES / 1024 / 1024:.1f} MB limit" in caught.value.reason


def test_max_bytes_can_be_lowered(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("x" * 2000, encoding="utf-8")
    with pytest.raises(ArticleError, match="limit"):
        read_document(path, max_bytes=1000)
    with pytest.raises(ArticleError, match="limit"):
        read_bytes(b"x" * 2000, source="upload.txt", max_bytes=1000)


def test_html_page_text_and_metadata() -> None:
    doc = read_document(FIXTURES / "wire_story.html")
    assert doc.format == "html"
    assert doc.title == "Azerbaijan says Armenian forces shelled Ganja; Armenia denies"
    assert doc.sitename == "Caucasus Wire"
    assert doc.date == date(2020, 10, 4)
    assert doc.published_time == datetime(2020, 10, 4, 9, 12, tzinfo=timezone(timedelta(hours=4)))
    assert doc.url.endswith("/ganja-shelling")
    lines = doc.text.split("\n")
    assert lines[0].startswith("BAKU (Reuters) — Azerbaijan's defence ministry said on Sunday")
    assert "Stepanakert came under fire early on Sunday" in doc.text
    # scripts, styles, navigation, sidebars and footers are gone
    for junk in (
        "dataLayer",
        "shelledGanjaTracker",
        "injected ad",
        "min-height",
        "Subscribe",
        "Floods hit",
        "Privacy",
    ):
        assert junk not in doc.text


def test_html_without_article_markup_falls_back_to_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "tiny.htm"
    path.write_text(
        "<html><head><script>var a = 'hidden';</script></head>"
        "<body><div>Martuni shelled.</div></body></html>",
        encoding="utf-8",
    )
    doc = read_document(path)
    assert doc.text == "Martuni shelled."
    assert (doc.title, doc.date, doc.sitename) == ("", None, "")


def test_html_meta_charset_is_honoured(tmp_path: Path) -> None:
    body = "<p>Шуши обстреляна в воскресенье, сообщили власти Карабаха. Жители укрылись в подвалах.</p>" * 3
    html = f'<html><head><meta charset="windows-1251"></head><body><article>{body}</article></body></html>'
    path = tmp_path / "ru.html"
    path.write_bytes(html.encode("cp1251"))
    doc = read_document(path)
    assert doc.encoding == "windows-1251"
    assert "Шуши обстреляна" in doc.text


def test_html_with_no_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><head><script>var x = 1;</script></head><body></body></html>", encoding="utf-8")
    with pytest.raises(ArticleError, match="no readable text"):
        read_document(path)


def test_read_text_from_memory() -> None:
    doc = read_text("BAKU (Reuters) - Shells hit Ganja.\r\n", source="upload.txt")
    assert doc == RawDocument(path="", source="upload.txt", text="BAKU (Reuters) - Shells hit Ganja.")
    html = read_text(
        "<html><body><article><p>Martuni shelled on Sunday.</p></article></body></html>",
        source="u.html",
        format="html",
    )
    assert html.text == "Martuni shelled on Sunday."
    with pytest.raises(ArticleError, match="no text"):
        read_text("   ", source="upload.txt")
    with pytest.raises(ArticleError, match="unsupported format 'pdf'"):
        read_text("x", source="upload.pdf", format="pdf")


def test_raw_document_rejects_unknown_formats() -> None:
    with pytest.raises(ValueError, match="expected format 'txt' or 'html'"):
        RawDocument(path="", source="a", text="x", format="pdf")
