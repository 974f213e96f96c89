"""Pure place-name folding and transliteration variants, shared by the index and by text scanning.

:func:`fold` turns a name into its lookup key: lower case, diacritics removed, the
Azerbaijani letters reduced to one Latin letter each (``ə``→``a``, ``ı``→``i``, ``ş``→``s``,
``ç``→``c``, ``ğ``→``g``, ``ö``→``o``, ``ü``→``u``; ``x`` stays ``x``), apostrophes, hyphens
and dashes turned into spaces, runs of spaces collapsed, and the Russian adjective
"Nagorny"/"Nagornyy"/"Nagorniy" read as "Nagorno"::

    >>> fold("Xankəndi")
    'xankandi'
    >>> fold("Nagorny-Karabakh")
    'nagorno karabakh'
    >>> fold("  Step'anakert ")
    'step anakert'

:func:`fold_with_offsets` does the same to running text and also returns, for every
character of the folded text, the index of the character of the original it came from
(plus one sentinel, ``len(text)``), so a hit found in folded text maps back to a span of
the original. ``fold(name) == fold_with_offsets(name)[0]`` holds for every string.

:func:`variants` generates the spellings a news reader meets for the same name: the
Azerbaijani Latin letters written the English way (``Ağdərə``→``aghdara``), the
Russian-era way (``agdere``), apostrophes dropped (``K'arvachar``→``karvachar``),
``dzh``→``j`` and ``-y``/``-i`` endings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

__all__ = ["fold", "fold_with_offsets", "is_latin", "variants"]

# Letters that NFKD does not decompose to a base Latin letter; each maps to what a reader types.
_SPECIAL: dict[str, str] = {
    "ə": "a",
    "Ə": "a",
    "ı": "i",
    "İ": "i",
    "ß": "ss",
    "æ": "ae",
    "Æ": "ae",
    "œ": "oe",
    "Œ": "oe",
    "ø": "o",
    "Ø": "o",
    "đ": "d",
    "Đ": "d",
    "ł": "l",
    "Ł": "l",
    "þ": "th",
    "Þ": "th",
    "ŋ": "n",
    "ǝ": "a",  # U+01DD turned e, used by GeoNames for schwa in some Azerbaijani names
    "Ǝ": "a",
}
# Apostrophes, primes, modifier letters and quote-like marks: transliteration marks in
# Armenian and Russian romanisations (Step'anakert, Kʻarvachar) and possessives in English.
_APOSTROPHES = "'’‘`´ʼʻʹʽʾʿ′"
_HYPHENS = "-‐‑‒–—―−_"
_SPACE_LIKE = set(_APOSTROPHES + _HYPHENS) | {"\u00a0", "\u2009", "\u202f", "\u200b"}

_NAGORNY = re.compile(r"\bnagorn(?:yy|yi|iy|ij|ii|y|i)\b")
# The same without the leading \b, so the regex engine jumps to its literal prefix; the word
# start is checked on each hit (hits cannot overlap, so none hides another).
_NAGORNY_SCAN = re.compile(r"nagorn(?:yy|yi|iy|ij|ii|y|i)\b")
_WORD_CHAR = re.compile(r"\w")

# ASCII fast path: a translation table that does what the general loop does for ASCII.
_ASCII_TABLE = {ord(c): " " for c in "'`-_\t\n\r\x0b\x0c"}


def _fold_char(char: str) -> str:
    """Fold one character to zero or more characters of the key alphabet."""
    special = _SPECIAL.get(char)
    if special is not None:
        return special
    if char in _SPACE_LIKE or char.isspace():
        return " "
    if char.isascii():
        return char.lower()
    decomposed = unicodedata.normalize("NFKD", char)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    out = []
    # Lower-case first, then map: an upper-case letter whose lower case is special ("Ŋ" -> "ŋ")
    # must fold like its lower case, or fold() would not be idempotent.
    for c in kept.lower():
        mapped = _SPECIAL.get(c)
        if mapped is not None:
            out.append(mapped)
        elif c in _SPACE_LIKE or c.isspace():
            out.append(" ")
        elif not unicodedata.combining(c):
            out.append(c)
    return "".join(out)


# str.translate table of every character folded so far (code point -> its fold): running text
# is folded by one C-level translate instead of one Python call per character.
_TABLE: dict[int, str] = {}
_INNER_SPACES = re.compile("  +")  # an inner run of spaces keeps its first one only


def _table_for(text: str) -> tuple[dict[int, str], str]:
    """The translate table, extended to the characters of ``text``, and those of them that do
    not fold to exactly one character (``"ß"`` -> ``"ss"``, a combining mark -> ``""``)."""
    irregular = []
    for char in set(text):
        folded = _TABLE.get(ord(char))
        if folded is None:
            folded = _TABLE[ord(char)] = _fold_char(char)
        if len(folded) != 1:
            irregular.append(char)
    return _TABLE, "".join(sorted(irregular))


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` and map every folded character back to its source index.

    Returns ``(folded, offsets)`` with ``len(offsets) == len(folded) + 1``;
    ``offsets[i]`` is the index in ``text`` of the character folded character ``i``
    came from and ``offsets[-1] == len(text)``. A hit ``folded[a:b]`` therefore
    covers ``text[offsets[a]:offsets[b - 1] + 1]``.

    >>> fold_with_offsets("Ağ-dərə")
    ('ag dara', [0, 1, 2, 3, 4, 5, 6, 7])
    >>> fold_with_offsets("a  b")
    ('a b', [0, 1, 3, 4])
    >>> fold_with_offsets("Straße")
    ('strasse', [0, 1, 2, 3, 4, 4, 5, 6])
    """
    table, irregular = _table_for(text)
    mapped = text.translate(table)
    source: list[int] | range = range(len(text))  # the index each character of `mapped` came from
    if irregular:  # some characters fold to several (or none): repeat (or skip) their index
        repeated: list[int] = []
        position = 0
        for match in re.finditer("[" + re.escape(irregular) + "]", text):
            index = match.start()
            repeated.extend(range(position, index))
            repeated.extend([index] * len(table[ord(text[index])]))
            position = index + 1
        repeated.extend(range(position, len(text)))
        source = repeated
    # drop leading and trailing spaces and all but the first of each inner run
    lead = len(mapped) - len(mapped.lstrip(" "))
    stop = len(mapped.rstrip(" ")) if lead < len(mapped) else lead
    pieces: list[str] = []
    kept: list[int] = []
    last = lead
    for run in _INNER_SPACES.finditer(mapped, lead, stop):
        pieces.append(mapped[last : run.start() + 1])
        kept.extend(source[last : run.start() + 1])
        last = run.end()
    pieces.append(mapped[last:stop])
    kept.extend(source[last:stop])
    folded_text = "".join(pieces) if len(pieces) > 1 else pieces[0]
    kept.append(len(text))
    if "nagorn" in folded_text:
        folded_text, kept = _replace_nagorny(folded_text, kept)
    return folded_text, kept


def _replace_nagorny(folded: str, offsets: list[int]) -> tuple[str, list[int]]:
    """Rewrite the Russian forms of "Nagorno" in folded text, keeping offsets aligned."""
    found = [
        m.span() for m in _NAGORNY_SCAN.finditer(folded)
        if m.start() == 0 or not _WORD_CHAR.match(folded, m.start() - 1)
    ]
    if not found:
        return folded, offsets
    pieces: list[str] = []
    new_offsets: list[int] = []
    last = 0
    for start, end in found:
        pieces.append(folded[last:start])
        new_offsets.extend(offsets[last:start])
        pieces.append("nagorno")
        span = offsets[start:end]
        new_offsets.extend((span + [span[-1]] * 7)[:7])
        last = end
    pieces.append(folded[last:])
    new_offsets.extend(offsets[last:])
    return "".join(pieces), new_offsets


@lru_cache(maxsize=131072)
def fold(name: str) -> str:
    """Return the lookup key of ``name``: what :func:`fold_with_offsets` gives for it.

    >>> fold("Şuşa"), fold("SHUSHA"), fold("Gəncə")
    ('susa', 'shusha', 'ganca')
    """
    if name.isascii():
        folded = " ".join(name.translate(_ASCII_TABLE).lower().split())
        if "nagorn" in folded:
            folded = _NAGORNY.sub("nagorno", folded)
        return folded
    return fold_with_offsets(name)[0]


def is_latin(name: str) -> bool:
    """Whether every letter of ``name`` is Latin (ASCII or a Latin letter with marks).

    >>> is_latin("Xankəndi"), is_latin("Ханкенди"), is_latin("Stepʻanakert")
    (True, False, True)
    """
    for char in name:
        if char.isascii() or not char.isalpha() or char in _APOSTROPHES:
            continue
        if "LATIN" not in unicodedata.name(char, "") and char not in _SPECIAL:
            return False
    return True


# Azerbaijani Latin letters written the way English-language agencies write them, and the way
# Russian-era (Soviet) transliteration wrote them. Applied to the original spelling, before folding;
# the schwa (ə) is expanded separately to every mix of "a" and "e" (Dashkesan, Gedabek, Agdere).
_AZ_ENGLISH = str.maketrans(
    {
        "x": "kh",
        "X": "Kh",
        "ğ": "gh",
        "Ğ": "Gh",
        "ş": "sh",
        "Ş": "Sh",
        "ç": "ch",
        "Ç": "Ch",
        "c": "j",
        "C": "J",
        "q": "g",
        "Q": "G",
        "ı": "i",
        "ö": "o",
        "ü": "u",
    }
)
_AZ_ENGLISH_G = str.maketrans(
    {
        "x": "kh",
        "X": "Kh",
        "ğ": "g",
        "Ğ": "G",
        "ş": "sh",
        "Ş": "Sh",
        "ç": "ch",
        "Ç": "Ch",
        "c": "j",
        "C": "J",
        "q": "g",
        "Q": "G",
        "ı": "i",
        "ö": "o",
        "ü": "u",
    }
)
_AZ_RUSSIAN = str.maketrans(
    {
        "x": "kh",
        "X": "Kh",
        "ğ": "g",
        "Ğ": "G",
        "ş": "sh",
        "Ş": "Sh",
        "ç": "ch",
        "Ç": "Ch",
        "c": "dzh",
        "C": "Dzh",
        "q": "g",
        "Q": "G",
        "ı": "y",
        "ö": "yo",
        "ü": "yu",
    }
)
_IDENTITY = str.maketrans({})
_AZ_LETTERS = set("əƏğĞşŞçÇıöüxXqQ")
_SCHWA = re.compile("[əƏǝ]")
_MAX_SCHWAS = 4


def _schwa_spellings(name: str) -> list[str]:
    """Every way of writing each schwa as "a" or "e" (at most 2 ** 4 spellings)."""
    parts = _SCHWA.split(name)
    if len(parts) == 1 or len(parts) - 1 > _MAX_SCHWAS:
        return [name]
    spellings = [parts[0]]
    for part in parts[1:]:
        spellings = [s + vowel + part for s in spellings for vowel in ("a", "e")]
    return spellings


# Alternations on folded ASCII keys, each (pattern, replacement): one application per variant.
_KEY_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"dzh"), "j"),
    (re.compile(r"dzh"), "dj"),
    (re.compile(r"zh"), "j"),
    (re.compile(r"y\b"), "i"),
    (re.compile(r"i\b"), "y"),
    (re.compile(r"iy\b"), "i"),
    (re.compile(r"yy\b"), "y"),
    (re.compile(r"gh"), "g"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"([bcdfgjklmnprstvz])\1"), r"\1"),
    (re.compile(r"(?<=[bcdfghjklmnprstvxz])ue"), "u"),  # German-style umlauts: Fuezuli, Goeycay
    (re.compile(r"(?<=[bcdfghjklmnprstvxz])oe"), "o"),
)


def variants(name: str, *, azerbaijani: bool = False) -> set[str]:
    """Folded spellings of ``name`` a reader may meet, not including ``fold(name)`` itself.

    ``azerbaijani=True`` also writes Azerbaijani Latin letters the English and the
    Russian-era way (``x``→``kh``, ``c``→``j``/``dzh``, ``q``→``g``, ``ə``→``a``/``e``);
    use it for names of places in Azerbaijan. Only Latin-script names get variants.

    >>> sorted(variants("Ağdərə", azerbaijani=True))[:4]
    ['agdare', 'agdera', 'agdere', 'aghdara']
    >>> "karvachar" in variants("K'arvacharr")
    True
    """
    if not is_latin(name):
        return set()
    bases = {fold(name), fold("".join(c for c in name if c not in _APOSTROPHES))}
    if azerbaijani or any(c in _AZ_LETTERS for c in name):
        clean = "".join(c for c in name if c not in _APOSTROPHES)
        for table in (_IDENTITY, _AZ_ENGLISH, _AZ_ENGLISH_G, _AZ_RUSSIAN):
            for spelling in _schwa_spellings(clean.translate(table)):
                bases.add(fold(spelling))
    out = set(bases)
    for base in bases:
        out.update(_key_rules(base))
    out.discard(fold(name))
    out.discard("")
    return out


def _key_rules(key: str) -> Iterable[str]:
    """Apply each alternation of :data:`_KEY_RULES` on its own, then all of them together."""
    combined = key
    for pattern, replacement in _KEY_RULES:
        changed = pattern.sub(replacement, key)
        if changed != key:
            yield changed
        combined = pattern.sub(replacement, combined)
    if combined != key:
        yield combined
