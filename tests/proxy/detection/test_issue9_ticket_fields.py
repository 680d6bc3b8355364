"""Issue 9: a ticket export's assignee field names a colleague by first name ("assigné :
Quentin", "assegnato: Nicolò", "Bearbeiter: Timo"), and an unlisted compound of first names
is a first name ("Anne-Victoire Sarr"); a field with a team or a queue in it, and a
compound of brands' words ("Rolls-Royce's engines"), name no one. Fictitious people; the
whole detector, as the proxy runs it.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("fr", "#812 | 03/04 | Écran noir au poste 3 | assigné : Gaëtan", "Gaëtan"),
        ("it", "#3301 | 04/05 | VPN non va | assegnato: Ottavio", "Ottavio"),
        ("de", "Ticket 5512 - Drucker klemmt - Bearbeiter: Timo", "Timo"),
    ],
)
def test_an_assignee_field_names_a_colleague(
    presidio: PresidioDetector, language: str, text: str, name: str
) -> None:
    assert name in masked(presidio, text, language, "PERSON")


def test_a_compound_of_first_names_is_a_first_name(presidio: PresidioDetector) -> None:
    text = "Le dossier de Anne-Victoire Sarr est complet."
    assert masked(presidio, text, "fr", "PERSON") == ["Anne-Victoire Sarr"]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "#77 | printer jam | assigned: Backlog"),
        ("en", "The report compares Rolls-Royce's engines with their rivals'."),
    ],
)
def test_a_queue_or_a_brand_is_no_one(presidio: PresidioDetector, language: str, text: str) -> None:
    assert masked(presidio, text, language, "PERSON") == []
