"""Issue 9, places tied to a person that text written elsewhere gives: a birthplace after
the date on a birth date's own line, after a dash, an en dash or "in" ("Data di nascita:
07/04/1984 - Leopoli", "Date of birth: 02.03.1979 in Tarnów"), and an origin written with
an elision ("originaire d'Oran"). Another field on the same line is no place. Fictitious
values of our own; the whole detector, as the proxy runs it.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "place"),
    [
        ("it", "Olena Kravets\nData di nascita: 11/02/1986 \u2013 Leopoli (Ucraina)", "Leopoli"),
        ("en", "Name: Piotr Nowacki\nDate of birth: 02.03.1979 in Tarnów", "Tarnów"),
        ("de", "Name: Emre Aksoy\nGeburtsdatum: 14.09.1992 - Izmir", "Izmir"),
        ("fr", "Karim, originaire d'Oran, rejoint l'équipe lundi.", "Oran"),
    ],
)
def test_a_birthplace_after_the_date_or_an_elided_origin(
    presidio: PresidioDetector, language: str, text: str, place: str
) -> None:
    assert place in masked(presidio, text, language, "LOCATION", "ADDRESS")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Date de naissance : 12/03/1980 - Nationalité : française"),
        ("en", "Date of birth: 12/03/1980, Ref 4471"),
        ("de", "Geburtsdatum: 03.05.1990 \u2013 Ausweis 4471"),
    ],
)
def test_another_field_after_a_birth_date_is_no_place(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    """Passes without the change too: it pins that the new rule stops at a field."""
    assert masked(presidio, text, language, "LOCATION") == []
