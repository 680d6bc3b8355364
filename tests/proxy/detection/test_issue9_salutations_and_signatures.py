"""Issue 9, names around a letter's opening and closing that text written elsewhere gives:
formal salutations in Spanish, Italian and French ("Estimada Nuria,", "Gentile Davide,"),
time-of-day greetings ("Buenos días Iratxe,"), a friend's sign-off ("besos, Iratxe"), a
signature whose surname the frequency lists count as a word ("Hatice Özdemir",
"Hannelore Sonnenschein"), and the labels of a person's other names ("Geburtsname:",
"preferred_name"). Fictitious values of our own; the whole detector, as the proxy runs it.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "person"),
    [
        ("it", "Gentile Davide,\ngrazie per l'offerta, ne parliamo a maggio.", "Davide"),
        ("it", "Gentilissima Francesca,\nle inoltro il preventivo.", "Francesca"),
        ("it", "Egregio Marco Bellini,\nfacciamo seguito alla sua richiesta.", "Marco Bellini"),
        ("es", "Estimada Nuria:\nle adjunto el contrato firmado.", "Nuria"),
        ("es", "Buenos días Iratxe,\nte paso el informe.", "Iratxe"),
        ("de", "Guten Morgen Jovan,\nkannst du heute die Schicht tauschen?", "Jovan"),
    ],
)
def test_a_salutation_names_the_reader(
    presidio: PresidioDetector, language: str, text: str, person: str
) -> None:
    """ "Marco Bellini" (a first name and a surname) and "Jovan" (the English model's
    "Morgen Jovan") were found before the salutations became cues; they stay as pins."""
    found = masked(presidio, text, language, "PERSON")
    assert any(person in value for value in found), found


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("it", "Gentile Direzione,\nvi scrivo per il rimborso."),
        ("it", "Gentile cliente,\nla sua pratica è chiusa."),
        ("es", "Estimados Sres.:\nles remito la factura."),
        ("es", "Apreciado equipo,\ngracias por el esfuerzo."),
        ("fr", "Chers collègues,\nla réunion est reportée."),
    ],
)
def test_a_salutation_to_a_department_or_a_title_names_nobody(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    """Passes without the change too (the salutations were no cues): it pins that a formal
    salutation takes only a listed name."""
    assert masked(presidio, text, language, "PERSON") == []


@pytest.mark.parametrize(
    ("language", "text", "person"),
    [
        (
            "de",
            "Bitte rufen Sie mich zurück.\nMit freundlichen Grüßen\nHatice Özdemir",
            "Hatice Özdemir",
        ),
        (
            "de",
            "Bitte erstatten Sie den Betrag.\nMit freundlichen Grüßen\nHannelore Sonnenschein\n"
            "Saarbrücken",
            "Hannelore Sonnenschein",
        ),
        ("es", "Te he dejado las llaves al portero. besos, Iratxe", "Iratxe"),
        ("it", "Ci vediamo sabato!\nun bacio\nGiulia", "Giulia"),
    ],
)
def test_a_signature_under_a_closing_formula(
    presidio: PresidioDetector, language: str, text: str, person: str
) -> None:
    """ "Giulia", a listed first name under a closing formula, was found before; a pin."""
    assert person in masked(presidio, text, language, "PERSON")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "The fix is live.\nThanks,\nSupport"),
        ("de", "Wir melden uns.\nMit freundlichen Grüßen\nIhr Praxisteam"),
        ("it", "A presto.\nGrazie,\nUfficio Acquisti"),
        ("de", "Danke\nHerzliche Grüße"),
    ],
)
def test_a_team_or_a_word_under_a_closing_formula_is_nobody(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    """Passes without the change too: it pins that the looser signature rule keeps words
    and teams out."""
    assert masked(presidio, text, language, "PERSON") == []


@pytest.mark.parametrize(
    ("language", "text", "person"),
    [
        ("de", "Name, Vorname: Krause, Anne\nGeburtsname: Wiedler\nKonfession: keine", "Wiedler"),
        ("en", '{"employee": "Oleksandr Bondar", "preferred_name": "Sasha"}', "Sasha"),
        ("fr", "Nom d'usage : Perrin\nNom de jeune fille : Lemarchand", "Lemarchand"),
        ("it", "Cognome: Russo\nCognome da nubile: Carbone", "Carbone"),
    ],
)  # fmt: skip
def test_a_persons_other_names_under_their_labels(
    presidio: PresidioDetector, language: str, text: str, person: str
) -> None:
    """The French maiden name was found before (by another rule); a pin."""
    assert person in masked(presidio, text, language, "PERSON")
