"""Issue 9: a number written in international form with a full national number's length is
a phone even when its range is unassigned ("+44 7700 912 384", drama's range, "+378 0549 …")
and no phone word precedes it; a "+" starts a new number after a chat's time ("09:04 +43 …");
"anexo 214" is an extension; "meine nr", "my no." before a number make it someone's own.
Signed amounts ("+15 000 000"), a number only dialable locally and a file's "order no" stay
as they are. Fictitious numbers of our own; the whole detector, as the proxy runs it.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


def _phones(presidio: PresidioDetector, text: str, language: str) -> list[str]:
    return masked(presidio, text, language, "PHONE_NUMBER")


@pytest.mark.parametrize(
    ("language", "text", "phone"),
    [
        ("en", "Grace Obi | People Partner\nm: +44 7700 915 217", "+44 7700 915 217"),
        ("it", "Il figlio chiama ogni sera dal +44 7700 900318, da Londra.", "+44 7700 900318"),
        ("it", "minacciata al numero +378 0549 555 871.", "+378 0549 555 871"),
        ("de", "[lena.k] 09:04 +43 732 781 446, frag nach Frau Huber", "+43 732 781 446"),
        ("es", "Tel.: +56 2 2345 6123 anexo 318\nMóvil:", "+56 2 2345 6123 anexo 318"),
        ("de", "schichtleiter weiß bescheid, sonst meine nr 0172 4419 207", "0172 4419 207"),
    ],
)
def test_a_number_in_international_form_or_given_as_ones_own(
    presidio: PresidioDetector, language: str, text: str, phone: str
) -> None:
    assert _phones(presidio, text, language) == [phone]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Revenue grew +15 000 000 this year, +12 345 678 units shipped."),
        ("en", "Headcount change: +1 500 0000 is a typo in the draft."),
        ("de", "Bestellung nr 0172 4419 207 ist unterwegs."),
    ],
)
def test_amounts_and_references_are_no_phones(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert _phones(presidio, text, language) == []
