"""Issue 9: short local numbers after a bracketed area code, and numbers announced as new.

"(022)80537", "(026) 65862": a trunk-prefixed area code in brackets then five digits, as
German, Austrian, Swiss, British and Argentine callers write a local line. The candidate
pattern wanted six digits after any bracket, so these were never parsed. And a number the
metadata does not know ("possible") needs a phone cue before it: "devolver la llamada al",
"tiene número nuevo", "reach me at" were none. Each masked row passed in clear before.

Values are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "number"),
    [
        ("en", "Emergency contact: Malvína Čapková, (022)80537", "(022)80537"),
        ("en", "You can reach me at (026) 65862 after six.", "(026) 65862"),
        ("es", "Llamó Iara; devolver la llamada al 2007423869 antes del viernes.", "2007423869"),
        ("es", "nerea tiene número nuevo: 011 15-2292-1635. avísale", "011 15-2292-1635"),
        ("it", "Gianni ha un numero nuovo 233 353 9460, salvalo", "233 353 9460"),
    ],
)
def test_a_short_local_or_announced_number_is_masked(
    presidio: PresidioDetector, language: str, text: str, number: str
) -> None:
    assert masked(presidio, text, language, "PHONE_NUMBER") == [number]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "See clause (2) 2024 of the framework agreement."),
        ("de", "Artikel (01) 2345 der Verordnung gilt weiter."),
        ("es", "Pedido 2007423869 enviado el lunes."),
    ],
)
def test_bracketed_clauses_and_references_are_no_phone(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert masked(presidio, text, language, "PHONE_NUMBER") == []
