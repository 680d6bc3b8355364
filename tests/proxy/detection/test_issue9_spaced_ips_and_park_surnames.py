"""Issue 9: an IPv4 address spaced out around its dots, and "Park" as a surname.

- "my home IP is 81 . 107 . 44 . 213": spaces around the dots kept the address from the IP
  recognizer. Four numbers of at most 255, seven digits or more, are joined now (a list's
  "1. 2. 3. 4." is not).
- "send the contract to Jennifer Park", "the manager, Jennifer Park,": "Park" after "to" or
  a comma was taken for a park's name ("near Victoria Park"). After a first name no place
  bears it is a surname.

Each masked row passed in clear before this change. Values are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


def test_a_spaced_out_ip_address_is_masked(presidio: PresidioDetector) -> None:
    text = "Server allowlist request: my home IP is 81 . 107 . 44 . 213, thanks."
    assert masked(presidio, text, "en", "IP_ADDRESS") == ["81 . 107 . 44 . 213"]


def test_a_numbered_list_is_no_ip_address(presidio: PresidioDetector) -> None:
    text = "Steps 1. 2. 3. 4. are in the manual."
    assert masked(presidio, text, "en", "IP_ADDRESS") == []


@pytest.mark.parametrize(
    "text",
    [
        "Please send the contract to Jennifer Park by Friday.",
        "Ask the manager, Jennifer Park, about the invoice.",
    ],
)
def test_park_after_a_first_name_is_a_surname(presidio: PresidioDetector, text: str) -> None:
    assert masked(presidio, text, "en", "PERSON") == ["Jennifer Park"]


def test_a_park_stays_a_park(presidio: PresidioDetector) -> None:
    text = "We met near Victoria Park, then walked to Hyde Park."
    assert masked(presidio, text, "en", "PERSON") == []
