# ruff: noqa: RUF001, RUF003 - full-width and look-alike characters are what these tests feed
"""Normalisation: what each evasion form becomes, and that every offset maps back to exactly
the original characters that produced it."""

from __future__ import annotations

import pytest

from proxy.detection.normalise import normalise


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
        ("jean dot dupont at orange dot fr", "jean.dupont@orange.fr"),
        ("jean.dupont[at]orange[dot]fr", "jean.dupont@orange.fr"),
        ("jean (at) orange.fr", "jean@orange.fr"),
        ("paul point durand arobase orange point fr", "paul.durand@orange.fr"),
        ("write at jean dot dupont at orange dot fr", "write at jean.dupont@orange.fr"),
        ("meet me at home. Then at noon.", "meet me at home. Then at noon."),  # no rewrite
        ("see you at lunch.com", "see you at lunch.com"),  # bare "at" needs a dot/digit
        ("contact at example dot nonsense", "contact at example dot nonsense"),  # no suffix
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
