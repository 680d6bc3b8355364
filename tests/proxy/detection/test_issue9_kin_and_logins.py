"""Issue 9, names that text written elsewhere gives without the cues the detector knew: a
relative named after the relation even when the name is also a word or a town ("la moglie
Domenica", "ihr Sohn Milan"), logins in log lines and as a chat export's speakers
("Failed password for akaragoz from", "tmeier: wer hat heute nacht?"), and the first name
Mercedes, a make only with a model or an article. Fictitious sentences of our own; the whole
detector, as the proxy runs it.
"""

from __future__ import annotations

import asyncio

import pytest

from proxy.detection.people import login_of_a_person
from proxy.detection.pool import PresidioDetector


def _persons(presidio: PresidioDetector, text: str, language: str) -> list[str]:
    (analysis,) = asyncio.run(presidio.analyze([text], [language]))
    return sorted(
        text[f.start : f.end]
        for f in analysis.findings
        if f.entity_type == "PERSON" and f.score >= 0.5
    )


@pytest.mark.parametrize(
    ("language", "text", "person"),
    [
        ("it", "Vive con la moglie Domenica, che lo accompagna.", "Domenica"),
        ("it", "Il figlio Primo passa ogni sera.", "Primo"),
        ("de", "Sie sagt, ihr Sohn Milan ruft jeden Sonntag an.", "Milan"),
        ("fr", "Personne à prévenir : son épouse Grâce, au 06 12 34 56 78.", "Grâce"),
        ("es", "Contacto: su esposa Montse, por la tarde.", "Montse"),
        ("it", "Ciao tesoro, sono nonna Assunta, tutto bene.", "Assunta"),
    ],
)
def test_a_relative_named_after_the_relation(
    presidio: PresidioDetector, language: str, text: str, person: str
) -> None:
    assert person in _persons(presidio, text, language)


@pytest.mark.parametrize(
    ("language", "text", "login"),
    [
        ("en", "sshd: Failed password for okaradag from 203.0.113.7 port 22", "okaradag"),
        ("fr", "auth : 4 échecs pour l'utilisateur m.lefevre depuis 198.51.100.4", "m.lefevre"),
        ("en", '62.210.14.88 - hannah.cole [12/Nov/2026:10:22:01] "GET / HTTP/1.1"', "hannah.cole"),
        ("de", "Slack #dienst\ntmeier: wer hat nacht?\nbkraus: ich\ntmeier: danke", "tmeier"),
    ],
)  # fmt: skip
def test_logins_in_logs_and_chat_exports(
    presidio: PresidioDetector, language: str, text: str, login: str
) -> None:
    assert login in _persons(presidio, text, language)


def test_service_accounts_and_words_are_no_logins(presidio: PresidioDetector) -> None:
    text = "sshd: Failed password for root from 203.0.113.7\nInvalid user admin from 10.0.0.1"
    assert _persons(presidio, text, "en") == []
    assert login_of_a_person("tmeier")
    assert login_of_a_person("dimitrios.k")
    assert not login_of_a_person("status")
    assert not login_of_a_person("Tmeier")


@pytest.mark.parametrize(
    ("text", "persons"),
    [
        ("Dear Mercedes,\nyour parcel left the depot today.", ["Mercedes"]),
        ("Entre la señora Mercedes Ortiz y el arrendatario", ["Mercedes Ortiz"]),
        ("Two Mercedes Sprinter vans and a Mercedes for the board.", []),
        ("Service booked for the Mercedes-Benz on Friday.", []),
    ],
)
def test_mercedes_is_a_woman_unless_a_model_or_an_article_says_car(
    presidio: PresidioDetector, text: str, persons: list[str]
) -> None:
    assert _persons(presidio, text, "en") == persons


@pytest.mark.parametrize(
    ("language", "text", "person"),
    [
        # German nouns and verbs are capitalised: no proper noun of the name after them
        ("de", "In seiner Wohnung wohnen jetzt Kevin und Jamal.", "Jamal"),
        ("de", "Kannst du Dariusz fragen, ob er das Formular hat?", "Dariusz"),
        # a first name and a role in parentheses starts a sentence with a person
        ("en", "Thanks. Eleni (his deputy) takes over on Monday.", "Eleni"),
        # telling and asking someone, in chats
        ("es", "vale dile a dayana que la esperamos", "dayana"),
        ("de", "sag jonas dass wir warten", "jonas"),
        # who signs, declares, reviews or reports; a CV's heading; a team after a signature
        ("it", "Io sottoscritta Ilaria Fenoglio, nata a Cuneo", "Ilaria Fenoglio"),
        ("es", "Revisado por Hu Jianguo.", "Hu Jianguo"),
        ("de", "LEBENSLAUF\nOksana Melnyk\ngeboren am 02.02.1992", "Oksana Melnyk"),
        ("en", "Kind regards,\nAaliyah | Returns team", "Aaliyah"),
        # a Gaelic or Scottish surname; a lower-case title in dictation; a handoff
        ("en", "Yours sincerely,\nDr Morag MacAulay, Consultant", "Morag MacAulay"),
        ("de", "überwiesen von doktor Lehmann wegen rückenschmerzen", "Lehmann"),
        ("es", "Reembolso en curso. Pasar a Sepúlveda para aprobar.", "Sepúlveda"),
        # a greeting before a first name that is also a word, found in the text's address
        ("fr", "À : amour.nzeza@example.org\nBonjour Amour,\nVotre commande", "Amour"),
    ],
)
def test_names_text_written_elsewhere_gives(
    presidio: PresidioDetector, language: str, text: str, person: str
) -> None:
    assert person in _persons(presidio, text, language)
