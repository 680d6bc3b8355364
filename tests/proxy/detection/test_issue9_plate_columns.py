"""Issue 9: a table's column headed as a car's registration is written in offices ("Car
reg", "Reg number", "Fahrzeug-Kennzeichen", "Targa auto") holds plates.

Plates of other countries than France count only after a label, and a table's header is the
label of its column; these headers were not among those listed, so a visitors' or a fleet's
list sent its plates in clear (each row below failed before this change).

Names and plates are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "plates"),
    [
        (
            "en",
            "Visitor | Host | Badge | Car reg\nNoor Haddad | Helen Ward | V-104 | MK21 RZT\n"
            "Piet Smulders | J. Osei | V-106 | GH70 LPW",
            ["GH70 LPW", "MK21 RZT"],
        ),
        (
            "de",
            "Mitarbeiter;Abteilung;Fahrzeug-Kennzeichen\nLena Vogt;Einkauf;FR-LV 311\n"
            "Timo Brandl;Vertrieb;S-TB 4820",
            ["FR-LV 311", "S-TB 4820"],
        ),
        (
            "it",
            "dipendente,reparto,targa auto\nGiada Ferri,logistica,FT 218 KM\n"
            "Nicola Pace,acquisti,GB 904 LS",
            ["FT 218 KM", "GB 904 LS"],
        ),
    ],
)
def test_a_registration_column_holds_plates(
    presidio: PresidioDetector, language: str, text: str, plates: list[str]
) -> None:
    found = masked(presidio, text, language, "LICENSE_PLATE")
    assert all(plate in found for plate in plates)
