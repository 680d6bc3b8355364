"""Issue 9, fourth part: names nobody announces. Text written elsewhere names people without
a title or a label: "mentored two juniors, Aoife and Tunde", "Tariq will ask the council",
a salutation line "Marcus,", a reviewer in parentheses "Nota (Serena):". The small English
and French models miss most first names of other cultures, so the lone-first-name rule now
runs with a model too; what keeps it from reading firms and products as people is tested
here as well. Each row is a sentence of our own with fictitious values.
"""

from __future__ import annotations

import asyncio

import pytest

from proxy.detection.people import NameCueRecognizer
from proxy.detection.pool import PresidioDetector


def _found(language: str, text: str, min_score: float = 0.5) -> list[str]:
    results = NameCueRecognizer(language).analyze(text, [])
    return sorted(text[r.start : r.end] for r in results if r.score >= min_score)


@pytest.mark.parametrize(
    ("language", "text", "names"),
    [
        # a lone first name inside a sentence, in a language with a model
        ("en", "He mentored two juniors, Aoife and Tunde, last year.", {"Aoife", "Tunde"}),
        ("fr", "Le dossier est suivi par Ingrid depuis lundi.", {"Ingrid"}),
        # a sentence that starts with a first name that is a word in no language
        ("en", "The van was back. Tariq will ask the council.", {"Tariq"}),
        ("it", "Siamo d'accordo. Samuele porta i documenti domani.", {"Samuele"}),
        # alone on its line: salutation, sign-off, a field's value
        ("en", "Subject: closing\n\nMarcus,\n\nPlease wire the balance today.", {"Marcus"}),
        ("it", "serve il numero AVS entro venerdì.\nMichele", {"Michele"}),
        ("it", "- Budget: 2 server\nApprova: Ilaria", {"Ilaria"}),
        # in parentheses
        ("it", "Nota (Serena): rimborso avviato ieri.", {"Serena"}),
        ("it", "| Kofi Boateng | forse | con bimba (Amara, 3 anni) |", {"Amara"}),
        # "called" in more languages
        ("it", "Alla guida c'era un ragazzo che l'amica chiamava Ciro.", {"Ciro"}),
        ("de", "Der Fahrer hieß Lorenz, glaube ich.", {"Lorenz"}),
    ],
)  # fmt: skip
def test_names_nobody_announces(language: str, text: str, names: set[str]) -> None:
    found = set(_found(language, text))
    assert names <= found, found


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Dì a Tommaso che lo zio lo chiama domenica.", {"Tommaso"}),
        ("La pratica l'ha presa Davide, non Renato.", {"Davide", "Renato"}),
        ("Ieri in magazzino c'erano Sara e Kevin fino alle otto.", {"Kevin", "Sara"}),
    ],
)
def test_italian_first_names_faker_does_not_list_are_names_in_italian(
    text: str, names: set[str]
) -> None:
    """Faker's Italian list lacks "Tommaso", "Davide", "Sara": the name index borrows the
    other languages' first names for Italian, unless morph-it knows them as Italian words
    (`scripts/build_name_index.py`)."""
    found = set(_found("it", text))
    assert names <= found, found


@pytest.mark.parametrize("word", ["domenica", "luce", "vera", "felice", "max", "mark"])
def test_italian_words_and_english_loanwords_stay_words_in_italian(word: str) -> None:
    from proxy.detection.name_index import is_first_name  # noqa: PLC0415

    assert not is_first_name(word, "it")


def test_a_speaker_whose_name_is_also_a_word_is_still_a_speaker() -> None:
    # "Davide" was a frequent word of Italian text to the name index (it is a frequent
    # name); on two speaker lines it is a person, found once or by more than one rule.
    chat = (
        "[09:02] Chiara: qualcuno ha il numero di Salvatore?\n"
        "[09:03] Davide: 347 281 5590\n"
        "[09:03] Chiara: grazie!\n"
        "[09:04] Davide: prego"
    )
    results = NameCueRecognizer("it").analyze(chat, [])
    starts = {r.start for r in results if r.score >= 0.5 and chat[r.start : r.end] == "Davide"}
    assert len(starts) == 2


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Backend Engineer, Clarion Health (2021-present), Go and Kafka."),
        ("en", "I have known him since we both worked at Arden Fabrication."),
        ("en", "Coffee will be provided by Marks & Spencer catering."),
        ("fr", "La société Conrad conteste la créance."),
        ("it", "via dei Fori Imperiali e piazza Navona sono affollate."),
        # capitalised words alone on a line that are no first names
        ("en", "Totals,\nRegards,\nFinance"),
        # a first name that is also a word is not taken alone at a sentence's start
        ("en", "The roof was closed. Will it open tomorrow?"),
        # a first name in quotes or after a count names a thing; a dish, a module, a line
        ("de", "Das Modul „Emma“ ist ab Montag freigeschaltet."),
        ("it", "Al tavolo 4: 2 x Margherita e una birra media."),
        ("fr", "On a commandé une pizza Margherita pour la réunion."),
        ("en", "Switch the dashboard to the Isabella theme before the demo."),
        ("fr", "Descendez à la station Jaurès, puis prenez le bus."),
    ],
)
def test_firms_products_and_words_are_not_lone_names(language: str, text: str) -> None:
    assert _found(language, text) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The Queen's Club Championships served as the main warm-up event.", "Championships"),
        ("Our depot at Hillington Park ships twice a week to Felixstowe.", "Felixstowe"),
    ],
)
def test_a_model_person_with_no_known_name_is_not_masked(
    presidio: PresidioDetector, text: str, value: str
) -> None:
    # The small English model reads capitalised phrases of business prose as people; a span
    # none of whose words is a first name or surname anywhere scores under the threshold.
    [analysis] = asyncio.run(presidio.analyze([text], ["en"]))
    masked = [
        text[f.start : f.end]
        for f in analysis.findings
        if f.entity_type == "PERSON" and f.score >= 0.5
    ]
    assert not any(value in span for span in masked), masked


def test_a_model_person_with_a_known_name_is_still_masked(presidio: PresidioDetector) -> None:
    text = "Yesterday Oluwaseun Adeyemi signed the lease for the flat."
    [analysis] = asyncio.run(presidio.analyze([text], ["en"]))
    assert any(
        f.entity_type == "PERSON" and f.score >= 0.5 and "Adeyemi" in text[f.start : f.end]
        for f in analysis.findings
    )
