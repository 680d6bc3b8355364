"""Issue 9: a family's members on a form share a surname the detector has found ("Frau
Okonjo-Brandt"); a first name right before that surname makes a full name, first names
that are also words included ("Will Okonjo-Brandt", "Sunny Okonjo-Brandt"). Fictitious
people; the whole detector, as the proxy runs it.
"""

from __future__ import annotations

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


def test_first_names_before_a_found_surname_join_it(presidio: PresidioDetector) -> None:
    text = (
        "Mitglieder:\n1. Sunny Okonjo-Brandt, Volleyball\n2. Will Okonjo-Brandt, Turnen\n\n"
        "Hinweis von Frau Okonjo-Brandt: Rechnungen bitte per Mail."
    )
    people = masked(presidio, text, "de", "PERSON")
    assert "Sunny Okonjo-Brandt" in people
    assert "Will Okonjo-Brandt" in people
