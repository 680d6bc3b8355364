"""Issue 9, licence plates whose label stands a word or two away or is worded as people write
it ("Targa auto aziendale: GK 208 XB", "l'auto targata FG 482 KT", "vehículo contrario 7305
HBD", "third party reg LB21 OXE", "Dienstwagen: KI-FH 731"); a plate-shaped code with no
vehicle word near stays unmasked ("Artikel HX-200-DE", a bare "R-FG 2207" in a list).
Fictitious plates of our own; the whole detector, as the proxy runs it.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


def _plates(presidio: PresidioDetector, text: str, language: str) -> list[str]:
    return masked(presidio, text, language, "LICENSE_PLATE")


@pytest.mark.parametrize(
    ("language", "text", "plate"),
    [
        ("it", "Targa auto aziendale: GK 208 XB", "GK 208 XB"),
        ("it", "Dichiara: «L'auto targata FG 482 KT è passata col rosso.»", "FG 482 KT"),
        ("es", "vehículo propio 4821 KLM; vehículo contrario 7305 HBD, conducido por", "7305 HBD"),
        ("en", "insured's vehicle reg RV68 KWT, third party reg LB21 OXE.", "LB21 OXE"),
        ("de", "Dienstwagen: KI-FH 731\nHotel: bitte buchen", "KI-FH 731"),
        ("de", "Kfz-Kennzeichen für den Stellplatz: S-TB 4082", "S-TB 4082"),
    ],
)
def test_a_plate_after_its_label_a_few_words_away(
    presidio: PresidioDetector, language: str, text: str, plate: str
) -> None:
    assert plate in _plates(presidio, text, language)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Bitte Artikel HX-200-DE und HX-210-DE nachbestellen."),
        ("de", "Lagerplätze: R-FG 2207, R-FG 2208 und R-FG 2210 sind frei."),
    ],
)
def test_plate_shaped_codes_without_a_vehicle_word_stay(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert _plates(presidio, text, language) == []
