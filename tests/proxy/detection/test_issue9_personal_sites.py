"""Issue 9, item 4: a personal site is masked when its domain is made of a name with a trade
after it ("consuelo-mamani-tejidos.es", "annakrueger-foto.de"), or holds the name of a person
the same text names ("Fiete … https://fiete-jansen.de"); a documentation link passes even
beside a name. Fictitious sites of our own; the rule and the whole detector."""

from __future__ import annotations

import pytest
from presidio_analyzer import RecognizerResult

from proxy.detection.pool import PresidioDetector
from proxy.detection.profiles import is_personal_label, sites_of_people
from tests.proxy.detection.masking import masked


def _urls(presidio: PresidioDetector, text: str, language: str) -> list[str]:
    return masked(presidio, text, language, "URL")


@pytest.mark.parametrize("label", ["consuelo-mamani-tejidos", "annakrueger-foto"])
def test_a_name_then_a_trade_is_a_personal_label(label: str) -> None:
    assert is_personal_label(label)


@pytest.mark.parametrize("label", ["docs-python", "green-energy", "cloud-storage", "python"])
def test_words_are_no_personal_label(label: str) -> None:
    assert not is_personal_label(label)


def test_a_site_holding_a_name_the_text_names_is_that_persons() -> None:
    text = "Dein Blog https://fiete-jansen.de steht im Newsletter, Fiete Jansen."
    url_end = text.index(" steht")
    results = [
        RecognizerResult("URL", text.index("https"), url_end, 0.6),
        RecognizerResult("PERSON", text.index("Fiete Jansen"), len(text) - 1, 0.85),
    ]
    (url, _) = sites_of_people(text, results, 0.6)
    assert url.score >= 0.8


@pytest.mark.parametrize(
    ("language", "text", "url"),
    [
        ("es", "Vendo en www.consuelo-mamani-tejidos.es. Un saludo, Consuelo Mamani",
         "www.consuelo-mamani-tejidos.es"),
        ("de", "Ihre Bilder: https://annakrueger-foto.de, Anna, du rockst!",
         "https://annakrueger-foto.de"),
    ],
)  # fmt: skip
def test_personal_sites_are_masked(
    presidio: PresidioDetector, language: str, text: str, url: str
) -> None:
    assert url in _urls(presidio, text, language)


def test_a_documentation_link_beside_a_name_passes(presidio: PresidioDetector) -> None:
    assert _urls(presidio, "Docs: https://docs.python.org/3/ (thanks, Anna Schmidt)", "en") == []
