"""Issue 9: a nationality said of a person in passing — between commas after a name or an
age, or after "is" — recognised by a demonym's ending and a country's name in the gazetteer
(no list of nationalities). Words that only look like one, or stand in lists of things,
pass. Fictitious sentences of our own."""

from __future__ import annotations

import pytest

from proxy.detection.nationality import NationalityRecognizer, is_demonym


def _found(text: str) -> list[str]:
    return sorted(text[r.start : r.end] for r in NationalityRecognizer("en").analyze(text, []))


@pytest.mark.parametrize(
    ("text", "nationality"),
    [
        ("Mon client, M. Aurelio Conti, italien, résidant à Menton", "italien"),
        ("Bed 3 - ESPERANZA MORALES, 71F, Colombian, lives alone", "Colombian"),
        ("Sra. Aisha Bello, de 38 años, nigeriana, residente en Alicante", "nigeriana"),
        ("Es colombiano y vive en Alcalá de Henares.", "colombiano"),
        ("Anna Cattaneo (n. 07/03/1958), marocchina di origine", "marocchina"),
        ("Third party: Ayşe Demir, Turkish, tel +46 70 482 13 96", "Turkish"),
        # what a witness calls someone
        ("« Je l'ai vu partir avec le Marocain, je crois. »", "Marocain"),
        ("«Lo vi con el peruano, creo que se llama Iván.»", "peruano"),
        ("«L'ho visto con l'albanese», ha detto.", "albanese"),
    ],
)
def test_a_nationality_in_apposition(text: str, nationality: str) -> None:
    assert _found(text) == [nationality]


@pytest.mark.parametrize(
    "text",
    [
        "M. Martin, 54 ans, malade, arrive demain.",
        "Écran rouge, portable, léger et pas cher.",
        "Sven Berg, Manager, joined in May.",
        "The plan is individual, and it works.",
        "Lo dejó con la portera, pero nadie lo vio.",
        "Lunch with the Italian team, then coffee.",
        "J'ai déjeuné avec le Président, puis nous sommes partis.",
    ],
)
def test_words_that_only_look_like_one_pass(text: str) -> None:
    assert _found(text) == []


@pytest.mark.parametrize(
    ("word", "demonym"),
    [("uruguayo", True), ("chilenische", True), ("belge", True), ("malade", False),
     ("portable", False), ("Anna", False)],
)  # fmt: skip
def test_a_demonym_needs_a_country_and_an_ending(word: str, demonym: bool) -> None:
    assert is_demonym(word) is demonym
