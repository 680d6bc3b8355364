"""Issue 9: a German tax id (Steuer-ID) written in threes from the left ("271 825 046 91"),
as well as in the letter's groups, in ASCII or full-width digits, after its label. Without
its label it stays unmasked. Fictitious numbers of our
own (valid check digits); the whole detector, as the proxy runs it.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked

_WIDE = "\uff12\uff17\uff11 \uff18\uff12\uff15 \uff10\uff14\uff16 \uff19\uff11"


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Steuer-ID: 271 825 046 91", "271 825 046 91"),
        (f"Steuer-ID für die Abrechnung: {_WIDE} (Jens)", _WIDE),
        ("Steuer-ID: 27 182 504 691", "27 182 504 691"),
    ],
)  # fmt: skip
def test_a_tax_id_in_threes_after_its_label(
    presidio: PresidioDetector, text: str, number: str
) -> None:
    assert masked(presidio, text, "de", "DE_TAX_ID") == [number]


@pytest.mark.parametrize(
    "text", ["Rechnung 271 825 046 91 bezahlt.", "Ticket 271 825 046 92 offen."]
)
def test_no_label_no_tax_id(presidio: PresidioDetector, text: str) -> None:
    assert masked(presidio, text, "de", "DE_TAX_ID") == []
