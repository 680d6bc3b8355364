"""Issue 9: a name no list has, as an item of a list beside historical figures, in a text
about two figures or more, is one of them ("Louis XIV, Jeanne d'Arc, Victor Hugo et Simone
Veil", "Giuseppe Garibaldi, Camillo Benso conte di Cavour, Giuseppe Mazzini").

The list of historical figures holds people who died before 2015 and their spellings as the
list writes them, so a quiz's or a lesson's list kept one masked name among its figures
(the first two rows failed before this change). A list of people to invite, with a phone
on its line, is a record: its names stay masked whoever their famous namesakes are.

Texts are our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "fr",
            "Quiz pour la soirée du CE : Louis XIV, Jeanne d'Arc, Victor Hugo, Marie Curie, "
            "Napoléon III et Simone Veil. Donne les réponses à la fin.",
        ),
        (
            "it",
            "Prepara una scheda per l'interrogazione di storia: Giuseppe Garibaldi, Camillo "
            "Benso conte di Cavour, Giuseppe Mazzini e Vittorio Emanuele II.",
        ),
    ],
)
def test_a_name_listed_beside_figures_is_one_of_them(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert masked(presidio, text, language, "PERSON") == []


def test_a_list_with_contact_data_is_a_record(presidio: PresidioDetector) -> None:
    text = (
        "Invitati alla cena: Giuseppe Garibaldi, Marco Bellandi e Giuseppe Mazzini, "
        "tel 333 123 4567"
    )
    assert "Marco Bellandi" in masked(presidio, text, "it", "PERSON")
