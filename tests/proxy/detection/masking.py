"""What the whole detector masks under the bundled default policy, for the tests that pin a
detection rule: a finding counts when the policy acts on it (type not allowed, score at least
the rule's threshold), as `bench/eval.py` scores the corpus."""

from __future__ import annotations

import asyncio

from bench.eval import policy_filter
from proxy.detection.pool import PresidioDetector

_ACTS_ON = policy_filter()


def masked(presidio: PresidioDetector, text: str, language: str, *entity_types: str) -> list[str]:
    """The values of `entity_types` the default policy would mask in `text`, sorted."""
    (analysis,) = asyncio.run(presidio.analyze([text], [language]))
    return sorted(
        text[f.start : f.end]
        for f in analysis.findings
        if f.entity_type in entity_types and _ACTS_ON(f.entity_type, f.score)
    )
