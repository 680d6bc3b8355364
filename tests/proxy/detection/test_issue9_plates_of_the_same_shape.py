"""Issue 9: a plate that its context made sure vouches for the same text's plates of its shape.

"Veicolo proprio GA 417 KT, controparte FZ 902 RM": the words before the first plate say
what it is, and the second, of the same shape ("LL DDD LL"), is the other car's. It scored
under the policy's threshold, with no word of its own, and went out in clear. A code of
another shape stays what it was. Values are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


def test_the_second_plate_of_an_accident_report_is_masked(presidio: PresidioDetector) -> None:
    text = "Sinistro: veicolo proprio GA 417 KT, controparte FZ 902 RM, nessun ferito."
    assert masked(presidio, text, "it", "LICENSE_PLATE") == ["FZ 902 RM", "GA 417 KT"]


@pytest.mark.parametrize(
    "text",
    [
        # no plate vouched for: a lone candidate of the shape stays under the threshold
        "Articolo FZ 902 RM in magazzino, ordine del 3 marzo.",
        # a plate of another shape vouches for nothing
        "Targa AB123CD; codice articolo FZ 902 RM in magazzino.",
    ],
)
def test_a_code_of_another_shape_or_alone_is_not_masked(
    presidio: PresidioDetector, text: str
) -> None:
    assert "FZ 902 RM" not in masked(presidio, text, "it", "LICENSE_PLATE")
