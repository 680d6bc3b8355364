"""Issue 9: a US driver's licence number written in the groups its state prints ("F255-921-
50-094-0", "D610-4070-6609", "L 240 782 931 439", "85 751 655") or Washington's "WDL…", right
after its label, worded as people write it ("driver licence", "Florida DL:", a JSON
"dl_number"). Unlabelled grouped numbers (a phone, an invoice) stay as they are, and a piece
of a longer dash-joined code is no identifier of its own. A German identity card's number
copied with its check digit (ten characters) after its label; an Italian one after "C.I."
or written in its three groups ("CE 20417 FR"). Fictitious numbers of our own; the whole
detector, as the proxy runs it.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


def _licences(presidio: PresidioDetector, text: str) -> list[str]:
    return masked(presidio, text, "en", "US_DRIVER_LICENSE")


@pytest.mark.parametrize(
    ("text", "licence"),
    [
        ("Hi, driver license K318-402-77-615-2 (FL), please unlock.", "K318-402-77-615-2"),
        ('{"name": "X", "dl_number": "S204-8817-3350", "dl_state": "IL"}', "S204-8817-3350"),
        ("Primary driver: X\nDriver licence (NV): R5512087\nPhone:", "R5512087"),
        ("- Florida DL: M440-173-92-508-1\n- Photo taken", "M440-173-92-508-1"),
        ("driver's license 63 208 471 (issued in Hilo)", "63 208 471"),
        ("driver's license T 512 904 338 170 (issued in Lexington)", "T 512 904 338 170"),
        ("driver's license WDL77K2M1P04 (issued in Tacoma)", "WDL77K2M1P04"),
        ("ID verified with Maryland driver's license B-731-552-108-946.", "B-731-552-108-946"),
    ],
)
def test_a_labelled_licence_in_its_states_groups(
    presidio: PresidioDetector, text: str, licence: str
) -> None:
    assert _licences(presidio, text) == [licence]


@pytest.mark.parametrize(
    "text",
    [
        "Call 415 555 0198 about invoice 12-345-678.",
        "Order K318-402-77-615-2 shipped on Monday.",
        "Serial numbers: 63 208 471 and 63 208 472.",
    ],
)
def test_unlabelled_groups_are_no_licence(presidio: PresidioDetector, text: str) -> None:
    assert _licences(presidio, text) == []


def test_a_piece_of_a_dash_joined_number_is_no_ssn(presidio: PresidioDetector) -> None:
    text = "La cuenta es de Iara; devolver la llamada al 011-15-4417-2093."
    assert masked(presidio, text, "es", "US_SSN") == []


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Staatsangehörigkeit: deutsch\nAusweis-Nr.: CFK2RX8M43\nAnschrift: folgt", "CFK2RX8M43"),
        ("Reisende: Lena Vogt, Personalausweis M7YP3KZ950, Sitz 14A", "M7YP3KZ950"),
    ],
)
def test_a_german_id_card_number_with_its_check_digit(
    presidio: PresidioDetector, text: str, number: str
) -> None:
    """The card's nine characters and their ICAO check digit, copied as one word."""
    assert masked(presidio, text, "de", "DE_ID_CARD") == [number]


@pytest.mark.parametrize(
    "text",
    [
        "Personalausweis M7YP3KZ951, Sitz 14A",  # the check digit disagrees
        "Seriennummer CFK2RX8M43 im Lager",  # no label
    ],
)
def test_no_id_card_without_its_label_and_check_digit(
    presidio: PresidioDetector, text: str
) -> None:
    assert masked(presidio, text, "de", "DE_ID_CARD") == []


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Passeggero 1: BIANCHI PAOLO, nato il 02/03/1990, C.I. CB73918KT\nTratta", "CB73918KT"),
        ("Passeggera 2: nata il 11/04/1993, C.I. AX 5518203\nTratta", "AX 5518203"),
        ("Documento - carta d'identità: CE 20417 FR\nTessera sanitaria", "CE 20417 FR"),
    ],
)
def test_an_italian_identity_card_after_ci_or_in_groups(
    presidio: PresidioDetector, text: str, number: str
) -> None:
    assert masked(presidio, text, "it", "IT_IDENTITY_CARD") == [number]


def test_grouped_codes_without_a_label_are_no_identity_card(presidio: PresidioDetector) -> None:
    assert masked(presidio, "codice CE 20417 FR in magazzino", "it", "IT_IDENTITY_CARD") == []
