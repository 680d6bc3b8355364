"""Issue 9: a CSV register's quoted cells keep their commas ('"NAKAMURA, Kenji"' is one
cell, so the row keeps its shape and its header), and a plate's column ("plate",
"Kennzeichen", "matrícula", "targa") is a licence plate in a table of people. A product
list with quoted commas stays business data. Fictitious texts of our own; the whole
detector, as the proxy runs it. The product list passes without the change too: it pins
that quoted commas do not turn a product's cells into people.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "expected", "names"),
    [
        (
            "en",
            "Sort the visitors by arrival:\n\nplate,visitor,host,arrival\n"
            'KM19 TXV,"HOLLOWAY, Bronwen",Idris Vaughan,08:10\n'
            'PN70 WQA,"OKAFOR, Chidera",,09:25\n'
            'RT66 BLU,"SANDOVAL, Marisol",Idris Vaughan,10:40\n',
            ["KM19 TXV", "PN70 WQA", "RT66 BLU"],
            ["HOLLOWAY, Bronwen", "OKAFOR, Chidera", "SANDOVAL, Marisol"],
        ),
        (
            "de",
            "Bitte nach Ankunft sortieren:\n\nKennzeichen;Fahrer;Ankunft\n"
            'M-KL 4821;"Brandl, Veronika";07:30\n'
            'RO-TZ 77;"Aydin, Serkan";08:15\n',
            ["M-KL 4821", "RO-TZ 77"],
            ["Brandl, Veronika", "Aydin, Serkan"],
        ),
    ],
)
def test_plates_and_names_of_a_csv_register(
    presidio: PresidioDetector,
    language: str,
    text: str,
    expected: list[str],
    names: list[str],
) -> None:
    plates = masked(presidio, text, language, "LICENSE_PLATE")
    people = masked(presidio, text, language, "PERSON")
    assert all(plate in plates for plate in expected), plates
    assert all(name in people for name in names), people


def test_a_product_list_with_quoted_commas_names_no_one(presidio: PresidioDetector) -> None:
    text = (
        "Fix the prices:\n\nsku,name,price\n"
        'LMP-204,"Lamp, brass, 40 cm",59.90\nCHR-118,"Chair, oak",120.00\n'
    )
    assert masked(presidio, text, "en", "PERSON", "LICENSE_PLATE", "LOCATION") == []
