"""What python-phonenumbers says of a written number: valid, possible, or nothing.

Shared by the phone recognizer (`phones.py`) and the line-break guard of normalisation
(`normalise.py`), so that both agree on what a complete phone number is. Kept apart from
`phones.py`, whose recognizer pulls in Presidio and the identifier patterns: `normalise`
runs in the proxy's own process too and imports this only on its rare path.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

import phonenumbers
import regex as re

MIN_DIGITS = 7  # the shortest local numbers people give ("555-0123"); shorter are not kept
MAX_DIGITS = 17  # E.164 allows 15, plus a trunk prefix and a written (0)

DIGIT = re.compile(r"\d")
# A national prefix in brackets after a country code ("+41 (0)44 …"): dropped before
# parsing, as a caller would when dialling.
TRUNK_IN_BRACKETS = re.compile(r"\(0\)")


class Verdict(Enum):
    VALID = "valid"
    POSSIBLE = "possible"


@dataclass(frozen=True, slots=True)
class Parsed:
    verdict: Verdict
    region: str | None


def _trunk_prefix(region: str) -> str | None:
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    return None if metadata is None else metadata.national_prefix


_TRUNK_PREFIX = {region: _trunk_prefix(region) for region in phonenumbers.SUPPORTED_REGIONS}


def parse_candidate(number: str, regions: Sequence[str]) -> Parsed | None:
    """What python-phonenumbers says of `number` (no extension) in international form or
    in one of `regions` (tried in order): valid somewhere, possible somewhere, or nothing."""
    digits = DIGIT.findall(number)
    if not MIN_DIGITS <= len(digits) <= MAX_DIGITS:
        return None
    compact = TRUNK_IN_BRACKETS.sub("", number).strip()
    international = compact.startswith(("+", "(+")) or (
        compact.startswith("00") and len(digits) >= 10
    )
    if compact.startswith("(+"):
        compact = "+" + compact[2:].replace(")", " ", 1)
    if compact.startswith("00") and international:
        compact = "+" + compact[2:]
    attempts: Iterable[str | None] = (None,) if international else regions
    if not international and digits[0] != "0":
        # Where dialling within the country starts with a trunk 0 (France, Germany, the UK…),
        # people write it: "558 902 113 447" is not a German number written without it.
        attempts = [region for region in regions if _TRUNK_PREFIX.get(region) != "0"]
    possible: str | None = None
    found_possible = False
    for region in attempts:
        try:
            parsed = phonenumbers.parse(compact, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            return Parsed(Verdict.VALID, phonenumbers.region_code_for_number(parsed))
        if not found_possible and phonenumbers.is_possible_number(parsed):
            found_possible, possible = True, region
    return Parsed(Verdict.POSSIBLE, possible) if found_possible else None
