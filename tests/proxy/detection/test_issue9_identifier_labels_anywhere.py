"""Issue 9: a national identifier's label counts whatever the text's language and however a
field's key writes it.

A German tax id (11 digits, check digit, no letters) scores under the threshold alone and
needs its label. The label did not count when the language identifier read a short German
line as English ("Steuerliche Identifikationsnummer 34 236 378 051"), nor as a JSON key
('"steuer_id": "34236378051"'): context phrases were per language, and matched only with
spaces between their words. Every language's phrases for a country's identifiers now apply
to every text, and an underscore or hyphen joins a phrase's words as a space does. Each row
passed in clear before this change.

Values are fictitious and our own (valid check digits, no real person's).
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "value"),
    [
        ("en", "Steuerliche Identifikationsnummer 34 236 378 051", "34 236 378 051"),
        (
            "de",
            '{"name": "Jonas Brenner", "steuer_id": "34236378051", "plz": "50667"}',
            "34236378051",
        ),
        ("en", "steuer_id=34236378051 imported from the payroll export", "34236378051"),
    ],
)
def test_a_german_tax_id_after_its_label_in_any_language_or_key_is_masked(
    presidio: PresidioDetector, language: str, text: str, value: str
) -> None:
    assert masked(presidio, text, language, "DE_TAX_ID") == [value]


def test_an_unlabelled_eleven_digit_number_stays_unmasked(presidio: PresidioDetector) -> None:
    """No label, no tax id: the same digits as an order number pass."""
    text = "Order 34236378051 shipped on Monday."
    assert masked(presidio, text, "en", "DE_TAX_ID") == []
