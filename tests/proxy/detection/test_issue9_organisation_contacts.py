"""Issue 9, false alarms on benign text: an organisation's published contacts and its article
codes are no one's personal data. A firm's hotline or switchboard ("Hotline 0800 330 4455
(kostenfrei)", "la centralita, 93 220 15 00"), its role mailboxes ("support@altavia.fr",
"buchhaltung@haverlane.de") and article codes in a plate's shape ("Artikel HX-200-DE") pass
under the default policy; a person's number or address, a role word at a mailbox provider or
at a person's own site, and plates stay masked. Fictitious sentences of our own; the whole
detector, as the proxy runs it, judged with the default policy's thresholds.
"""

from __future__ import annotations

import pytest

from proxy.detection.mailboxes import role_mailbox
from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


def _masked(presidio: PresidioDetector, text: str, language: str, entity_type: str) -> list[str]:
    return masked(presidio, text, language, entity_type)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Click & Collect im 2. OG. Hotline 0800 330 4455 (kostenfrei), Mo-Sa."),
        ("de", "In dringenden Fällen wenden Sie sich an die Zentrale unter +49 89 2080 1500."),
        ("en", "For urgent matters call the switchboard on +44 20 3808 1500."),
        ("es", "Para urgencias, llamad a la centralita, 93 220 15 00."),
        ("fr", "Service client : 09 70 80 12 34 (appel non surtaxé)."),
        ("fr", "Pour toute urgence, contactez le standard au 01 84 60 20 00."),
        ("it", "Servizio clienti: 800 912 345 (numero verde). Domenica chiuso."),
    ],
)
def test_an_organisations_published_line_is_no_ones_phone(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert _masked(presidio, text, language, "PHONE_NUMBER") == []


@pytest.mark.parametrize(
    ("language", "text", "phone"),
    [
        ("de", "Frau Weber erreichen Sie unter 0171 2345678.", "0171 2345678"),
        ("en", "Call me on +44 7700 900 412 after six.", "+44 7700 900 412"),
        ("fr", "Le standard m'a donné le portable de Karim : 06 12 34 56 78.", "06 12 34 56 78"),
    ],
)
def test_a_persons_number_is_still_masked(
    presidio: PresidioDetector, language: str, text: str, phone: str
) -> None:
    assert _masked(presidio, text, language, "PHONE_NUMBER") == [phone]


@pytest.mark.parametrize(
    "address",
    [
        "support@altavia-solutions.fr",
        "buchhaltung@haverlane.de",
        "atencion@casalumbre.es",
        "customer-service@corvane.eu",
        "service.client@maison-ravel.fr",
        "info2@casaluce.it",
    ],
)
def test_role_mailboxes_of_firms(address: str) -> None:
    assert role_mailbox(address)


@pytest.mark.parametrize(
    "address",
    [
        "info@gmail.com",  # a mailbox provider: someone's own
        "support@web.de",
        "hello@saoirsedraws.ie",  # a sole trader's site: a first name and a word
        "contact@aurelienfaure.fr",  # a person's own site
        "anna.berg@corvane.eu",  # a person at a firm
        "info.vera.colombo@gmail.com",
        "kontakt-anna@firma.de",
    ],
)
def test_personal_addresses_are_no_role_mailboxes(address: str) -> None:
    assert not role_mailbox(address)


def test_a_role_mailbox_passes_and_a_persons_address_beside_it_is_masked(
    presidio: PresidioDetector,
) -> None:
    text = (
        "Bitte über das Portal zahlen oder an buchhaltung@haverlane.de schreiben; "
        "Rückfragen direkt an katrin.vogt@haverlane.de."
    )
    assert _masked(presidio, text, "de", "EMAIL_ADDRESS") == ["katrin.vogt@haverlane.de"]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "- Artikel HX-200-DE und HX-210-AT ab 1.10. +4,5 %"),
        ("es", "- ref. HX-200-ES y HX-210-PT: +4,5 % desde el 1/10"),
        ("it", "- codici HX-200-IT e HX-210-CH +4,5% dal 1/10"),
    ],
)
def test_article_codes_in_a_plates_shape_are_no_plates(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert _masked(presidio, text, language, "LICENSE_PLATE") == []


def test_plates_in_a_list_are_still_plates(presidio: PresidioDetector) -> None:
    text = "Véhicules de la famille : GH-456-JK et AB-123-CD, garés rue des Lilas."
    assert _masked(presidio, text, "fr", "LICENSE_PLATE") == ["AB-123-CD", "GH-456-JK"]
