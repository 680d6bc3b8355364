"""Issue 9, false alarms on benign text: historical figures are no data subjects. A quiz
about Marie Curie, a summary of Napoleon Bonaparte's campaign, "Albert Einsteins Nobelpreis",
"Santiago Ramón y Cajal" pass under the default policy when the text is about them (a word
of topic before the name, a possessive, life dates), and so does the surname alone in the
same text ("the Curie temperature"); a record or a living person with a famous name
("Patient: Albert Einstein", "Frau Marie Curie", "Tell Jean that Marie Curie called") and a
surname alone elsewhere stay masked.
Fictional and mythological figures count as historical ones ("Sherlock Holmes versus Arsène
Lupin"). Two different listed figures in one text are what it is about ("Ripasso: Volta,
Galilei e Marconi"), unless a verb makes them people one meets ("Invite … and …").
Fictitious sentences of our own; the whole detector, as the proxy runs it.
"""

from __future__ import annotations

import pytest

from proxy.detection.historical import historical_figure
from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


def _people(presidio: PresidioDetector, text: str, language: str) -> list[str]:
    return masked(presidio, text, language, "PERSON")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "en",
            "Write a quiz question about Marie Curie's two Nobel Prizes and one about the "
            "Curie temperature.",
        ),
        ("en", "Give me a 200-word overview of Napoleon Bonaparte's Italian campaign."),
        ("de", "Schreib eine Quizfrage zu Albert Einsteins Nobelpreis für die Schülerzeitung."),
        ("es", "Una pregunta sobre el Premio Nobel de Santiago Ramón y Cajal, por favor."),
        ("es", "Resume la conquista de México por Hernán Cortés en cien palabras."),
        ("it", "Scrivi una domanda per il quiz sul Nobel di Guglielmo Marconi."),
        ("fr", "Fais une fiche sur Jeanne d'Arc et le siège d'Orléans pour des CM2."),
    ],
)
def test_historical_figures_are_no_one_to_mask(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert _people(presidio, text, language) == []


@pytest.mark.parametrize(
    ("language", "text", "person"),
    [
        ("de", "Patient: Albert Einstein, geb. 14.03.1979, Station 4.", "Albert Einstein"),
        ("en", "Please ask Mrs Marie Curie to sign the lease.", "Marie Curie"),
        ("fr", "Mon fils Victor Hugo a rendez-vous mardi à 9 h.", "Victor Hugo"),
        ("it", "Garibaldi ha chiamato due volte, richiamalo.", "Garibaldi"),
    ],
)
def test_a_record_or_a_relative_with_a_famous_name_is_still_a_person(
    presidio: PresidioDetector, language: str, text: str, person: str
) -> None:
    assert person in _people(presidio, text, language)


def test_only_the_listed_spelling_counts() -> None:
    text = "Essays on Marie Curiel, on Albert Einstein and on Napoleon Bonapartez."
    start = text.index("Marie")
    assert not historical_figure(text, start, start + len("Marie Curiel"))
    start = text.index("Albert")
    assert historical_figure(text, start, start + len("Albert Einstein"))
    start = text.index("Napoleon")
    assert not historical_figure(text, start, len(text) - 1)


@pytest.mark.parametrize(
    "text",
    [
        "Tell Jean Dupont that Marie Curie called.",
        "John Smith will meet Marie Curie in Paris.",
        "Bonjour Marie Curie, votre colis est arrivé.",
    ],
)
def test_a_famous_name_the_text_is_not_about_is_someone_alive(text: str) -> None:
    start = text.index("Marie")
    assert not historical_figure(text, start, start + len("Marie Curie"))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("What did Florence Nightingale actually change in hospital sanitation?", "Florence"),
        ("Qu'a réellement apporté Louis Pasteur à la vaccination ? 150 mots.", "Louis Pasteur"),
        ("¿Qué aportó realmente Santiago Ramón y Cajal a la neurociencia?", "Santiago Ramón"),
    ],
)
def test_a_question_about_what_a_figure_did_is_about_the_figure(text: str, name: str) -> None:
    start = text.index(name)
    assert historical_figure(text, start, start + len(name))


@pytest.mark.parametrize(
    "text",
    [
        "What did Marie Curie say on the phone this morning? Her number is 0612 345 678.",
        "Marie Curie asked what the invoice covers?",
        "What did you tell Marie Curie yesterday. She called again?",
    ],
)
def test_a_question_with_contact_data_or_not_about_the_figure_is_someone_alive(
    text: str,
) -> None:
    start = text.index("Marie")
    assert not historical_figure(text, start, start + len("Marie Curie"))


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "fr",
            "Prépare une frise pour le bac : Louis Pasteur, Victor Hugo et Marie Curie, une "
            "date clé chacun.",
        ),
        ("it", "Ripasso per l'esame: Alessandro Volta, Galileo Galilei e Guglielmo Marconi."),
        ("de", "Steckbriefe fürs Referat: Konrad Adenauer, Willy Brandt und Sophie Scholl."),
    ],
)
def test_figures_listed_together_are_what_the_text_is_about(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert _people(presidio, text, language) == []


def test_a_famous_name_beside_a_living_person_is_still_a_person(
    presidio: PresidioDetector,
) -> None:
    text = "Invite Jean-Baptiste Morvan and Victor Hugo to Thursday's meeting."
    assert "Victor Hugo" in _people(presidio, text, "en")


def test_two_figures_in_records_stay_records(presidio: PresidioDetector) -> None:
    text = "Patient: Albert Einstein\nPatientin: Marie Curie"
    assert _people(presidio, text, "de") == ["Albert Einstein", "Marie Curie"]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "en",
            "Five questions for our book club: Sherlock Holmes versus Arsène Lupin, and why "
            "Don Quixote needs Sancho Panza.",
        ),
        ("es", "Ideas de nombre para la app: Rocinante, Pinocho, Gargantua."),
    ],
)
def test_fictional_figures_are_no_one_to_mask(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert _people(presidio, text, language) == []


def test_a_record_with_a_fictional_name_is_still_a_person(presidio: PresidioDetector) -> None:
    text = "Passenger: Harry Potter, seat 14C\nPassenger: Peter Pan, seat 14D"
    assert _people(presidio, text, "en") == ["Harry Potter", "Peter Pan"]
