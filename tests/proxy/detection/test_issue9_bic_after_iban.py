"""Issue 9: a BIC written right after an IBAN of its own country, on the same line, is the
account's bank code even when its label is far above (a payment file's header "IBAN;BIC")
or missing ("Konto: AT.. (GIBAATWW)"). A BIC of another country after the IBAN, or bank codes
quoted in prose, stay unlabelled and unmasked. Fictitious accounts of our own (valid check
digits); the whole detector, as the proxy runs it.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


def _bics(presidio: PresidioDetector, text: str, language: str) -> list[str]:
    return masked(presidio, text, language, "BIC_CODE")


@pytest.mark.parametrize(
    ("language", "text", "bic"),
    [
        (
            "de",
            "Empfänger|IBAN|BIC|Betrag\nHahn, Jonas|DE49 5001 0517 5401 2349 87|DEUTDEFFXXX|80,00",
            "DEUTDEFFXXX",
        ),
        (
            "fr",
            "nom;iban;bic;montant\nMARTIN Léa;FR93 3000 4000 0398 7654 3210 112;BNPAFRPP;120,00",
            "BNPAFRPP",
        ),
        ("de", "Konto: AT26 1904 3002 3457 7711 (GIBAATWW), bitte bis Freitag.", "GIBAATWW"),
        ("en", "Pay to DE49 5001 0517 5401 2349 87 / DEUTDEFF before the 5th.", "DEUTDEFF"),
    ],
)
def test_a_bic_right_after_an_iban_of_its_country_is_masked(
    presidio: PresidioDetector, language: str, text: str, bic: str
) -> None:
    assert _bics(presidio, text, language) == [bic]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Hahn, Jonas|DE49 5001 0517 5401 2349 87|BNPAFRPPXXX|80,00"),
        ("en", "Correspondent banks: DEUTDEFF and BNPAFRPP settle in TARGET2."),
        ("en", "Reference DE49 5001 0517 5401 2349 88 / DEUTDEFF is a test row."),
    ],
)
def test_no_iban_of_its_country_no_bic(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert _bics(presidio, text, language) == []
