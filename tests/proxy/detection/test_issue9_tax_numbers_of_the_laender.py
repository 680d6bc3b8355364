"""Issue 9: a German Steuernummer in the notations of the Länder that Presidio's patterns
lack: Baden-Württemberg's "FFBBB/UUUUP" ("93815/08152") and the spaced "FF BBB UUUUP" /
"FFF BBB UUUUP" of Bremen, Hessen and Schleswig-Holstein ("21 815 08150").

The finance offices print them so on every notice, and they went out in clear after their
label (the rows below failed before this change). The spaced shape is a phone's too, so it
counts only right after the number's own label: a tax office's phone stays a phone, and a
slashed order number with no label stays unmasked (those rows passed before and still do).

Numbers are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Bitte die Steuer-Nr.: 93815/08152 auf der Rechnung angeben.", "93815/08152"),
        ("Steuernummer 21 815 08150 (Finanzamt Bremen-Nord)", "21 815 08150"),
        ("Meine Steuernummer ist 013 815 08153, die Steuer-ID reiche ich nach.", "013 815 08153"),
    ],
)
def test_a_laender_tax_number_is_masked(presidio: PresidioDetector, text: str, number: str) -> None:
    assert number in masked(presidio, text, "de", "DE_TAX_NUMBER")


@pytest.mark.parametrize(
    "text",
    ["Finanzamt Berlin-Mitte, Tel. 030 901 54321", "Bestellung 12345/67890 vom Montag"],
)
def test_a_phone_and_an_order_number_are_no_tax_number(
    presidio: PresidioDetector, text: str
) -> None:
    assert masked(presidio, text, "de", "DE_TAX_NUMBER") == []
