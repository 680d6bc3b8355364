"""Issue 9: a parking list's lines name a bay, then a car's plate ("Bay 12 LK19 XRV Dev
Patel", "plaza 21 4821 KLM", "P03 - M-KL 4821"): the bay's number says the next code is a
plate, whatever its country's format. An agenda's points ("P1 ISO 9001 audit") and a bay
with a plain word after it stay as they are. Fictitious plates of our own; the whole
detector, as the proxy runs it.
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
        ("en", "Bays this week\nBay 12 LK19 XRV Dev Patel\nBay 14 free", "LK19 XRV"),
        ("es", "Reparto:\nplaza 21 4821 KLM (Nacho)\nplaza 22 libre", "4821 KLM"),
        ("it", "Turni\nposto 18 FG 482 KL - Rossi\nposto 19 libero", "FG 482 KL"),
        ("fr", "Liste\nplace 9 : EZ 931 LC\nplace 10 : libre", "EZ 931 LC"),
        ("de", "Liste Q3\nplatz 7 W 48213 K\nplatz 8 frei", "W 48213 K"),
        ("de", "Liste Q3\nP03 - M-KL 4821 - Brenner\nP04 - frei", "M-KL 4821"),
    ],
)
def test_the_code_after_a_bay_on_a_parking_list_is_a_plate(
    presidio: PresidioDetector, language: str, text: str, plate: str
) -> None:
    assert plate in _plates(presidio, text, language)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Agenda:\nP1 ISO 9001 audit\nP2 Q3 2024 budget\nP3 AOB"),
        ("en", "Loading bays\nBay 3 B2B orders only\nBay 4 returns"),
        ("fr", "Ordre du jour\nplace 2 : bilan Q3\nplace 3 : divers"),
    ],
)
def test_no_bay_no_plate(presidio: PresidioDetector, language: str, text: str) -> None:
    assert _plates(presidio, text, language) == []
