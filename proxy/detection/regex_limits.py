"""The time limit of the regular expressions Voile runs itself (outside Presidio's pattern
recognizers): normalisation, IBAN and card candidates, names, addresses, policy deny-lists.

`engine.install_regex_timeout_trap` sets it, with Presidio's own limits, to the request
timeout. A regex that runs out of time raises `TimeoutError`, which aborts the batch: the
request is refused rather than analysed partially.
"""

from __future__ import annotations

REGEX_TIMEOUT_SECONDS = 60.0


def seconds() -> float:
    """The current limit (read at each call: the engine lowers it once per worker)."""
    return REGEX_TIMEOUT_SECONDS
