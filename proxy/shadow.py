"""Shadow mode: what a stricter policy or rule would have done to a request, computed and
audited beside what the enforced policy did, never applied.

1. **What is compared.** An app's identity carries its enforced policy and, if anything
   is in shadow mode, a shadow policy (`proxy.policy`, point 7: a shadow rule's policy
   with the rule enforced, or a policy in shadow mode itself). After the enforced policy has
   masked the request, the shadow policy decides on the same findings with the same code
   (`mask_texts`, with a throw-away vault whose tokens never leave), for the same target.
2. **What is recorded is the difference**: the destination it would have refused, the types
   it would have blocked the request for, and for every type it would have treated
   differently, what it would have done (occurrences by action; `ignore` for findings
   under its threshold). A request it would have treated alike records only the shadow
   policy's name and hash: evaluated, no difference. It goes into the audit record's clear
   details (`shadow`), the request's log line (types and counts) and the metrics
   (`voile_shadow_decisions_total`, by entity type and action).
3. **Detection is shared when it can be**: if the shadow policy reads the same parts in the
   same languages with the same own recognizers and allow-list, its decisions use the
   enforced detection's findings; otherwise detection runs again for it (through the cache).
   If that fails, the request still goes on under the enforced policy (a shadow decision
   is never a reason to refuse), and the record says `error`.
4. **Not covered**: `generated` (personal data in answers) is decided by the enforced
   policy only, and a shadow policy's `allow_unscannable` is not compared.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from proxy.detection.types import Analysis
from proxy.masking import MaskResult, mask_texts
from proxy.placeholders import Vault
from proxy.policy import Policy, Target

# The key of the shadow evaluation's vault: its tokens are thrown away, never sent.
_SHADOW_SECRET = b"voile/shadow/never-forwarded"
IGNORE = "ignore"  # a finding the shadow policy would not act on (under its threshold)


@dataclass(frozen=True)
class ShadowResult:
    """What the shadow policy would have done differently (point 2)."""

    policy: str
    policy_hash: str
    refused: bool = False  # destination_not_allowed
    blocked: tuple[str, ...] = ()  # types it would have blocked the request for
    entities: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    error: str | None = None  # its detection failed: nothing could be compared

    @property
    def differs(self) -> bool:
        return self.refused or bool(self.blocked) or bool(self.entities)

    def record(self) -> dict[str, Any]:
        """For the audit record's clear details: names, hashes, types and counts."""
        document: dict[str, Any] = {"policy": self.policy, "policy_hash": self.policy_hash}
        if self.refused:
            document["would_refuse"] = "destination_not_allowed"
        if self.blocked:
            document["would_block"] = list(self.blocked)
        if self.entities:
            document["entities"] = {kind: dict(n) for kind, n in sorted(self.entities.items())}
        if self.error:
            document["error"] = self.error
        return document


def same_detection(shadow: Policy, enforced: Policy) -> bool:
    """Whether the enforced policy's findings are the shadow policy's too (point 3)."""
    mine, theirs = shadow.detection_options, enforced.detection_options
    return (
        shadow.spec.languages == enforced.spec.languages
        and set(shadow.spec.scope) == set(enforced.spec.scope)
        and (None if mine is None else mine.key) == (None if theirs is None else theirs.key)
    )


def refused(shadow: Policy, target: Target) -> ShadowResult | None:
    """The shadow result of a destination the shadow policy does not allow, else None."""
    if shadow.allows_destination(target.provider, target.region):
        return None
    return ShadowResult(shadow.name, shadow.sha256, refused=True)


def compare(
    shadow: Policy,
    target: Target,
    texts: Sequence[str],
    analyses: Sequence[Analysis],
    enforced: MaskResult,
) -> ShadowResult:
    """The shadow policy's decisions on `analyses`, against what `enforced` did."""
    result = mask_texts(texts, analyses, shadow, Vault(_SHADOW_SECRET), target)
    entities: dict[str, dict[str, int]] = {}
    for kind in sorted({*result.entity_actions, *enforced.entity_actions}):
        mine = dict(result.entity_actions.get(kind, {}))
        theirs = dict(enforced.entity_actions.get(kind, {}))
        if mine != theirs:
            entities[kind] = mine or {IGNORE: sum(theirs.values())}
    blocked = tuple(kind for kind in result.blocked if kind not in enforced.blocked)
    return ShadowResult(shadow.name, shadow.sha256, blocked=blocked, entities=entities)
