"""Issue 9: a name with its role or relation in brackets after it.

"Contatto: Huang Wei (marito)", "Testigo: Lwazi Dube (witness)", "Altro genitore: Nasrin
Akter (madre)": the bracket says the words before it are a person's name, which no list may
hold ("Huang Wei", "Lwazi") and no model reads in Italian. Such a name is masked now (score
0.75); a label before a bracketed role ("Kontakt (Kunde)") is not. The two Italian rows
passed in clear before this change (the Spanish one, after a form label, did not). Values are
fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("it", "Dati del paziente\nContatto: Huang Wei (marito), 339 552 8012", "Huang Wei"),
        ("it", "Altro genitore: Nasrin Akter (madre), casalinga", "Nasrin Akter"),
        (
            "es",
            "Parte de accidente\nDeclarante: Xiomara Quispe Mamani (testigo)",
            "Xiomara Quispe Mamani",
        ),
    ],
)
def test_a_name_before_its_role_in_brackets_is_masked(
    presidio: PresidioDetector, language: str, text: str, name: str
) -> None:
    assert name in masked(presidio, text, language, "PERSON")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Bitte Rückruf an den Kontakt (Kunde) bis Freitag."),
        ("de", "Angaben zum Notfall (Ehemann) folgen per Post."),
    ],
)
def test_a_label_before_a_role_in_brackets_is_not(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert masked(presidio, text, language, "PERSON") == []
