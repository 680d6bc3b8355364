"""From detector findings to masked texts: decide, resolve overlaps, propagate, replace.

The order matters and is the point of this module:

1. Placeholder-looking text the client sent is itself treated as a value to mask (type
   VOILE_LITERAL), so it comes back exactly as written and can never be restored into someone
   else's data.
2. Each finding gets the policy's decision for its type and the request's target (app,
   provider, region: `proxy.policy.Rulebook`); findings under the threshold and `allow` are
   dropped. Any `block` refuses the whole request.
3. Overlapping findings are merged into one span covering their union (the strictest action
   wins), so no fragment of a detected value leaks and no replacement uses stale offsets.
4. A value masked anywhere in the request is masked everywhere in it: the detector may find
   "Jean Dupont" in one message and miss it in another, but the provider must see neither.
5. Replacements are minted in document order (text by text, left to right), so that the
   surrogates of the `fake` action, whose draws depend on what was minted before them
   (`proxy.faking`), come out the same in every turn that resends the same history; they
   are then applied right to left on the original strings. A surrogate is never a value of
   the request: the vault is shown every text first.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from proxy.detection.types import Analysis
from proxy.placeholders import LITERAL_TYPE, TOKEN_PATTERN, Vault
from proxy.policy import SEVERITY, Action, Policy, Rulebook, Target, WithoutModel

# What a refusal names when a text could only be analysed with patterns (see
# `Analysis.modelled`) and the policy says `language_without_model: refuse`. Not an entity
# type: such texts are counted in `MaskResult.without_model`, never among the findings.
WITHOUT_MODEL = "LANGUAGE_WITHOUT_MODEL"


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    entity_type: str
    action: Action
    score: float

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class MaskResult:
    texts: list[str]
    entity_counts: dict[str, int]  # occurrences acted upon, by type
    actions: dict[str, int]  # occurrences by action
    # Type -> action -> occurrences, as masking applied them, plus the findings the policy
    # let leave in clear (`allow`): what the audit trail records per type.
    entity_actions: dict[str, dict[str, int]]
    without_model: int  # texts only patterns looked at (a language without a model)
    blocked: tuple[str, ...]  # entity types whose action is `block`: nothing may be forwarded


def _policy_spans(text: str, analysis: Analysis, rules: Rulebook) -> list[Span]:
    spans = [
        Span(m.start(), m.end(), LITERAL_TYPE, Action.MASK, 1.0)
        for m in TOKEN_PATTERN.finditer(text)
    ]
    for finding in analysis.findings:
        decision = rules.decision_for(finding.entity_type)
        if decision.action is Action.ALLOW or finding.score < decision.min_score:
            continue
        if not text[finding.start : finding.end].strip():
            continue
        spans.append(
            Span(finding.start, finding.end, finding.entity_type, decision.action, finding.score)
        )
    return spans


def _dominant(a: Span, b: Span) -> Span:
    """Which span's type and action a merged span keeps: strictest, then longest, then surest."""
    return max(
        a, b, key=lambda s: (s.entity_type == LITERAL_TYPE, SEVERITY[s.action], len(s), s.score)
    )


def resolve_overlaps(spans: Sequence[Span]) -> list[Span]:
    """One clean, sorted, non-overlapping set of spans (touching spans stay separate)."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            keep = _dominant(last, span)
            merged[-1] = Span(
                last.start, max(last.end, span.end), keep.entity_type, keep.action, keep.score
            )
        else:
            merged.append(span)
    return merged


def _propagate(texts: Sequence[str], spans_per_text: list[list[Span]]) -> list[list[Span]]:
    """Add a span wherever a value already chosen for masking occurs elsewhere uncovered."""
    known: dict[str, Span] = {}
    for text, spans in zip(texts, spans_per_text, strict=True):
        for span in spans:
            value = text[span.start : span.end]
            if span.entity_type != LITERAL_TYPE and len(value.strip()) >= 2:
                current = known.get(value)
                known[value] = span if current is None else _dominant(current, span)
    if not known:
        return spans_per_text
    result = []
    for text, spans in zip(texts, spans_per_text, strict=True):
        extra = [
            Span(start, start + len(value), span.entity_type, span.action, span.score)
            for value, span in known.items()
            for start in _occurrences(text, value)
        ]
        # Overlap resolution keeps the longest, so "Jean Dupont" wins over "Jean".
        result.append(resolve_overlaps([*spans, *extra]) if extra else spans)
    return result


def _occurrences(text: str, value: str) -> Iterator[int]:
    """Starts of `value` in `text` as a whole word ("Lyon" is not inside "Lyonnais").

    Plain `str.find` per value rather than one regex of all values: compiling an alternation
    of hundreds of values costs more than scanning, and this runs on the event loop.
    """
    start = text.find(value)
    while start != -1:
        end = start + len(value)
        before_ok = start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "_")
        after_ok = end == len(text) or not (text[end].isalnum() or text[end] == "_")
        if before_ok and after_ok:
            yield start
        start = text.find(value, start + 1)


def _hash_label(secret: bytes, entity_type: str, value: str) -> str:
    digest = hmac.new(secret, f"{entity_type}\x00{value}".encode(), hashlib.sha256).hexdigest()
    return f"[{entity_type}:{digest[:8]}]"


def mask_texts(
    texts: Sequence[str],
    analyses: Sequence[Analysis],
    policy: Policy,
    vault: Vault,
    target: Target | None = None,
) -> MaskResult:
    """Mask every text as the policy says for `target` (None: its rules without conditions);
    if it blocks a detected type, say which and mask nothing."""
    rules = policy.rulebook(target)
    spans_per_text = [
        resolve_overlaps(_policy_spans(text, analysis, rules))
        for text, analysis in zip(texts, analyses, strict=True)
    ]
    spans_per_text = _propagate(texts, spans_per_text)

    spans = [span for spans in spans_per_text for span in spans]
    entity_counts = Counter(s.entity_type for s in spans)
    actions = Counter(s.action.value for s in spans)
    blocked = sorted({s.entity_type for s in spans if s.action is Action.BLOCK})
    # Texts only patterns looked at (a language without a model): counted, or refused.
    unmodelled = sum(not analysis.modelled for analysis in analyses)
    if unmodelled and policy.spec.language_without_model is WithoutModel.REFUSE:
        blocked.append(WITHOUT_MODEL)
    counts = dict(entity_counts), dict(actions), _entity_actions(spans, analyses, rules)
    if blocked:
        return MaskResult([], *counts, unmodelled, tuple(blocked))

    if any(span.action is Action.FAKE for span in spans):
        vault.observe(texts)
    masked: list[str] = []
    for text, spans, analysis in zip(texts, spans_per_text, analyses, strict=True):
        replacements = [_replacement(text, span, vault, analysis.language) for span in spans]
        pieces: list[str] = []
        cursor = len(text)
        for span, replacement in zip(reversed(spans), reversed(replacements), strict=True):
            pieces.append(text[span.end : cursor])
            pieces.append(replacement)
            cursor = span.start
        pieces.append(text[:cursor])
        masked.append("".join(reversed(pieces)))
    return MaskResult(masked, *counts, unmodelled, ())


def _replacement(text: str, span: Span, vault: Vault, language: str) -> str:
    value = text[span.start : span.end]
    if span.action is Action.MASK:
        return vault.token_for(span.entity_type, value)
    if span.action is Action.FAKE:
        return vault.surrogate_for(span.entity_type, value, language)
    if span.action is Action.HASH:
        return _hash_label(vault.secret, span.entity_type, value)
    return f"[{span.entity_type}]"


def _entity_actions(
    spans: Sequence[Span], analyses: Sequence[Analysis], rules: Rulebook
) -> dict[str, dict[str, int]]:
    """Type -> action -> occurrences: each span with the action masking applies to it, and
    each finding the policy lets leave in clear (`allow`), which no span covers."""
    actions: dict[str, Counter[str]] = {}
    for span in spans:
        actions.setdefault(span.entity_type, Counter())[span.action.value] += 1
    for analysis in analyses:
        for finding in analysis.findings:
            decision = rules.decision_for(finding.entity_type)
            if decision.action is Action.ALLOW and finding.score >= decision.min_score:
                actions.setdefault(finding.entity_type, Counter())[Action.ALLOW.value] += 1
    return {kind: dict(counter) for kind, counter in sorted(actions.items())}
