"""Issue 9 (evasion): a phone or card number written out in words is read as its digits.

"Wegen Spam keine Nummer im Klartext: null fünf sechs fünf zwei - neun neun eins null drei",
"Mon tél : zéro six, quarante-deux, dix-huit, soixante-treize, cinquante-cinq", a caller's
"oh-seven-seven-oh-one, nine-one-two, three-four-five": every recognizer reads digits, so
these went to the provider in clear. `normalise` now reads a run of number words that spells
a long number as its digits, and the whole run is masked. Short runs, counts and prose
("one or two", "three-hour sessions") are left as they are. Values are fictitious and our
own.
"""

from __future__ import annotations

import pytest

from proxy.detection.normalise import normalise
from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("text", "read"),
    [
        (
            "Telefon: null eins sieben sechs \u2013 drei drei acht \u2013 vier zwei eins neun null",
            "Telefon: 0176 338 42190",
        ),
        (
            "Mon tél : zéro six, quarante-deux, dix-huit, soixante-treize, cinquante-cinq",
            "Mon tél : 06 42 18 73 55",
        ),
        ("Caller: oh-seven-seven-oh-one, nine-one-two, three-four-five.", "Caller: 07701 912 345."),
        (
            "el móvil: seis seis uno \u2013 24 \u2013 08 \u2013 37, gracias",
            "el móvil: 661 24 08 37, gracias",
        ),
        ("cell: tre quattro sette, ottantotto, ventuno, cinquantadue", "cell: 347 88 21 52"),
    ],
)
def test_a_number_in_words_is_read_as_digits(text: str, read: str) -> None:
    normal = normalise(text)
    assert normal.text == read
    # the digits map back to the whole run of words they were written as
    first = read.index(":") + 2
    last = max(index for index, char in enumerate(read) if char.isdigit())
    start, end = normal.span(first, last + 1)
    assert start == text.index(":") + 2
    assert text[end:] == read[last + 1 :]  # what follows the run is untouched


@pytest.mark.parametrize(
    "text",
    [
        "One or two people per team, three-hour sessions, four five six times a year.",
        "Wir brauchen zwei oder drei Räume für vier Tage.",
        "Order 12, item three, four boxes, five pallets.",
    ],
)
def test_prose_with_number_words_is_left_alone(text: str) -> None:
    assert normalise(text).text == text


@pytest.mark.parametrize(
    ("language", "text", "number"),
    [
        (
            "de",
            "Wegen Spam keine Nummer im Klartext: null fünf sechs fünf zwei \u2013 neun neun eins"
            " null drei, bitte abends.",
            "null fünf sechs fünf zwei \u2013 neun neun eins null drei",
        ),
        (
            "fr",
            "Rappelez-moi, mon tél : zéro six, quarante-deux, dix-huit, soixante-treize,"
            " cinquante-cinq",
            "zéro six, quarante-deux, dix-huit, soixante-treize, cinquante-cinq",
        ),
        (
            "en",
            "Agent: And a contact number?\nCaller: oh-seven-seven-oh-one, nine-one-two,"
            " three-four-five.",
            "oh-seven-seven-oh-one, nine-one-two, three-four-five",
        ),
    ],
)
def test_a_phone_number_in_words_is_masked(
    presidio: PresidioDetector, language: str, text: str, number: str
) -> None:
    assert masked(presidio, text, language, "PHONE_NUMBER") == [number]
