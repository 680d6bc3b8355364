# ruff: noqa: RUF001, RUF003 - full-width and look-alike characters are what these tests feed
"""Normalisation: what each evasion form becomes, and that every offset maps back to exactly
the original characters that produced it."""

from __future__ import annotations

import unicodedata

import pytest

from proxy.detection.normalise import normalise
from tests.proxy.detection.evasion import HIDDEN, VALUES, hide


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("plain ascii, nothing to do", "plain ascii, nothing to do"),
        ("Tél : 06 12 34 56 78", "Tél : 06 12 34 56 78"),  # already normal: no map
        ("０６ １２ ３４ ５６ ７８", "06 12 34 56 78"),  # full-width digits
        ("ｊｅａｎ＠ｏｒａｎｇｅ．ｆｒ", "jean@orange.fr"),
        ("06\u200b12\u200b34\u200b56\u200b78", "0612345678"),  # zero-width spaces
        ("jean\u00ad.dupont@free.fr", "jean.dupont@free.fr"),  # soft hyphen
        ("\u202ejean@free.fr\u202c", "jean@free.fr"),  # bidi override
        ("06\u00a012\u202f34", "06 12 34"),  # no-break spaces
        ("jean.dupont@or\u0430nge.fr", "jean.dupont@orange.fr"),  # Cyrillic а
        ("\u0440eter", "peter"),  # a Cyrillic р in a Latin word
        ("Москва", "Москва"),  # Russian text is left alone
        ("Ce\u0301line", "Céline"),  # decomposed accent
        ("0 6 1 2 3 4 5 6 7 8", "0612345678"),  # spaced one by one
        ("F R 7 6 3 0 0 0 6 0 0 0 x", "FR7630006000 x"),  # letters too; a word after stays
        ("G B 2 7 B A R C 6 6 1 3", "GB27BARC6613"),
        ("n 0 6 1 2 3 4 5 6 7 8", "n 0612345678"),  # a word before stays
        ("1 2 3", "1 2 3"),  # too short to be anything
        # groups set apart by two spaces or a spaced dot or dash
        ("text 4 1 5  5 5 5  0 1 8 2", "text 4155550182"),
        ("au 0 6 . 1 2 . 8 8 . 4 3 . 7 1", "au 0612884371"),
        ("an: 0 1 5 2 \u2013 3 3 8 1 7 4 9 0", "an: 015233817490"),
        ("Version 1 . 2 . 3", "Version 1 . 2 . 3"),  # too few digits
        ("jean dot dupont at orange dot fr", "jean.dupont@orange.fr"),
        ("jean.dupont[at]orange[dot]fr", "jean.dupont@orange.fr"),
        ("jean (at) orange.fr", "jean@orange.fr"),
        ("paul point durand arobase orange point fr", "paul.durand@orange.fr"),
        ("write at jean dot dupont at orange dot fr", "write at jean.dupont@orange.fr"),
        ("meet me at home. Then at noon.", "meet me at home. Then at noon."),  # no rewrite
        ("see you at lunch.com", "see you at lunch.com"),  # bare "at" needs a dot/digit
        ("contact at example dot nonsense", "contact at example dot nonsense"),  # no suffix
        # a local part spelled one character at a time; "at" and "dot" in other languages
        ("j o . b e c k at gmail dot com", "jo.beck@gmail.com"),
        ("s o l . v e g a arroba gmail punto com", "sol.vega@gmail.com"),
        ("l u c a chiocciola libero punto it", "luca@libero.it"),
        ("I was at a b c d e at home", "I was at a b c d e at home"),  # no address
    ],
)
def test_normal_form(text: str, normal: str) -> None:
    assert normalise(text).text == normal


@pytest.mark.parametrize(
    ("text", "value", "original"),
    [
        ("x ０６ １２ y", "06 12", "０６ １２"),
        ("tel 06\u200b12\u200b34 ok", "061234", "06\u200b12\u200b34"),
        (
            "mail jean dot dupont at orange dot fr!",
            "jean.dupont@orange.fr",
            "jean dot dupont at orange dot fr",
        ),
        ("n 0 6 1 2 3 4 5 6 7 8, merci", "0612345678", "0 6 1 2 3 4 5 6 7 8"),
        ("Ce\u0301line Dupont", "Céline", "Ce\u0301line"),
        ("a ﬁn b", "fin", "ﬁn"),  # a ligature expands to two characters
    ],
)
def test_spans_map_back_to_the_original_characters(text: str, value: str, original: str) -> None:
    normal = normalise(text)
    start = normal.text.index(value)
    first, last = normal.span(start, start + len(value))
    assert text[first:last] == original


def test_identity_has_no_map() -> None:
    normal = normalise("nothing special here")
    assert not normal.changed
    assert normal.span(3, 7) == (3, 7)


def test_a_span_inside_a_rewritten_region_maps_to_all_of_it() -> None:
    text = "jean dot dupont at orange dot fr"
    normal = normalise(text)
    assert normal.span(0, 4) == (0, len(text))  # "jean" in "jean.dupont@orange.fr"


# --- control and other invisible characters (issue 8, item 3) -----------------------------


@pytest.mark.parametrize("kind", sorted(VALUES))
def test_every_hidden_character_at_every_position_is_read_through(kind: str) -> None:
    """C0 and C1 controls, DEL, zero-width, bidi and other invisible characters, inserted
    anywhere in a value, are removed for detection; the value's span maps back to the whole
    of what was written, the hidden character included when it is inside the value."""
    before, value, after = VALUES[kind]
    failures = []
    for char in HIDDEN:
        for position in range(len(value) + 1):
            hidden = hide(value, position, char)
            text = before + hidden + after
            normal = normalise(text)
            start = len(before)
            first, last = normal.span(start, start + len(value))
            inside = 0 < position < len(value)
            wanted = (len(before), len(before) + len(hidden)) if inside else None
            if normal.text != before + value + after or (
                wanted is not None and (first, last) != wanted
            ):
                failures.append((hex(ord(char)), position))
            elif not inside:  # at an edge: the value maps to exactly its own characters
                assert text[first:last] == value, (hex(ord(char)), position)
    assert not failures


def test_the_removed_characters_are_every_control_and_format_character() -> None:
    """Every Cc (but tab, LF, CR) and Cf character, and every default-ignorable code point."""
    kept = {"\t", "\n", "\r"}
    for code in range(0x110000):
        char = chr(code)
        if 0xD800 <= code < 0xE000:
            continue
        category = unicodedata.category(char)
        if (category in {"Cc", "Cf"} and char not in kept) or code in range(0xE0000, 0xE1000):
            assert normalise(f"a{char}b").text == "ab", hex(code)
    for char in kept:
        assert normalise(f"a{char}b").text == f"a{char}b"


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("Name: John\nEmail: john@example.com", "Name: John\nEmail: john@example.com"),
        ("John\tSmith\tjohn@example.com", "John\tSmith\tjohn@example.com"),  # TSV stays TSV
        ("Jean\r\nDupont", "Jean\r\nDupont"),  # two lines' words are never glued
        ("4111\n1111\t1111\r\n1111", "4111 1111 1111 1111"),  # wrapped digit groups
        ("FR76 3000 6000\n0112 3456 7890 189", "FR76 3000 6000 0112 3456 7890 189"),
        ("Total 12\n\n34 items", "Total 12\n\n34 items"),  # a blank line stays a paragraph
        ("06 12\x00\n34 56 78", "06 12 34 56 78"),  # a control beside a line break
        # a number wrapped after its own separator keeps it, without the break
        ("Tel. 0221-\n4478 193", "Tel. 0221-4478 193"),
        ("tel 06.47.\n82.19.30", "tel 06.47.82.19.30"),
        ("al 958 -\n27 44 13", "al 958-27 44 13"),
        ("Phase 1.\n2. Next", "Phase 1.\n2. Next"),  # a list's next number
        # a tab-separated sheet's tabs are cells, digits or not; a lone line's join digits
        (
            "Nombre\tPuesto\tAlta\tMóvil\nAna Bianchi\tPreparadora\t01/06\t622 901 447",
            "Nombre\tPuesto\tAlta\tMóvil\nAna Bianchi\tPreparadora\t01/06\t622 901 447",
        ),
        ("card 4111\t1111\t1111\t1111 ok", "card 4111 1111 1111 1111 ok"),
        # spaced digits in groups three spaces apart, as a form's boxes are typed
        ("on 0 7 8 1 2   4 4 7   9 0 3 tonight", "on 07812447903 tonight"),
    ],
)
def test_tab_and_line_breaks_separate_words_and_join_digit_groups(text: str, normal: str) -> None:
    assert normalise(text).text == normal


def test_a_line_break_between_digits_maps_back_to_itself() -> None:
    text = "card 4111\r\n1111 1111 1111 ok"
    normal = normalise(text)
    start = normal.text.index("4111")
    assert normal.span(start, start + 19) == (5, 5 + len("4111\r\n1111 1111 1111"))


def test_an_ascii_text_without_controls_keeps_the_fast_path() -> None:
    assert not normalise("plain\ttext\nwith lines\r\n").changed
