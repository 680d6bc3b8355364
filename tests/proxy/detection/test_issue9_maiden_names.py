"""Issue 9: a maiden name after the married one ("geb. Sousa", "née Dubois").

German forms write a birth name after "geb." ("Ana Rita Ferreira geb. Sousa", "Adaeze
Haverkamp geb. Nwosu"); the name there was left in clear when no list knew it as a surname,
or knew it as a town. It is a person's name whatever else it is; "geb." before a date or "am"
still starts a birth date. Each masked row passed in clear before this change.

Values are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Mietinteressentin 2: Ana Rita Ferreira geb. Sousa, Pflegefachfrau", "Sousa"),
        ("Ehefrau: Adaeze Haverkamp geb. Nwosu, Steuer-ID folgt", "Nwosu"),
        ("Mieterin Ingrid Albers geborene Okonjo zieht zum 1. März ein.", "Okonjo"),
    ],
)
def test_a_maiden_name_after_geb_is_masked(
    presidio: PresidioDetector, text: str, name: str
) -> None:
    assert name in masked(presidio, text, "de", "PERSON")


def test_geb_before_a_date_is_no_name(presidio: PresidioDetector) -> None:
    text = "Mieterin Ingrid Albers, geb. am 14.07.1988 in Coimbra"
    assert masked(presidio, text, "de", "PERSON") == ["Ingrid Albers"]
