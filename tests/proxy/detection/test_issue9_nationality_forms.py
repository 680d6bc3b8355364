"""Issue 9: nationalities in forms and notes as they are written: a JSON key
('"nationality": "Ukrainian"'), a label after another field's name ("Heimatort /
Staatsangehörigkeit: kosovarisch"), two values with a spaced slash ("deutsch / türkisch"),
a dual national's two ("Turkish-German dual national", "türkisch-deutscher Doppelstaatler",
", double nationalité turque et française"). A "nationality" key with a number, and
"dual national" rules in prose about no one, stay as they are. Fictitious people of our own;
the whole detector, as the proxy runs it.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


def _nrp(presidio: PresidioDetector, text: str, language: str) -> list[str]:
    return masked(presidio, text, language, "NRP")


@pytest.mark.parametrize(
    ("language", "text", "found"),
    [
        ("en", '{\n  "nationality": "Moldovan",\n  "age": 31\n}', ["Moldovan"]),
        ("de", "Heimatort / Staatsangehörigkeit: albanisch\nZivilstand: ledig", ["albanisch"]),
        ("de", "Staatsangehörigkeit: deutsch / griechisch\nAnschrift", ["deutsch / griechisch"]),
        ("en", "Client: Ana Silva, Portuguese-Brazilian dual national, in Geneva.",
         ["Portuguese-Brazilian"]),
        ("de", "Kunde: Nikos Papas, griechisch-deutscher Doppelstaatler, wohnt in Basel.",
         ["griechisch-deutscher"]),
        ("fr", "Client : Ana Silva, double nationalité portugaise et brésilienne, à Genève.",
         ["brésilienne", "portugaise"]),
    ],
)  # fmt: skip
def test_a_nationality_in_a_form_or_a_dual_nationals_note(
    presidio: PresidioDetector, language: str, text: str, found: list[str]
) -> None:
    assert _nrp(presidio, text, language) == found


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", '{"nationality": 3, "countries": 12}'),
        ("en", "Dual nationals may vote in both countries since 2024."),
    ],
)
def test_no_person_no_nationality(presidio: PresidioDetector, language: str, text: str) -> None:
    assert _nrp(presidio, text, language) == []
