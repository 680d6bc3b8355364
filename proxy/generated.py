"""Personal data the model writes that the request did not carry: found, then let through,
redacted or blocked, as the policy's `generated` setting says.

Detection reads the answer's text (where the format says the model's text is: a chat
message's content, an Anthropic text block, a Responses output text; not tool-call
arguments). A finding counts as generated when:

1. its type is not `allow`ed by the policy for the request's target, and it scores at least
   `generated.min_score` (answers are the app's text: a higher bar than prompts);
2. it covers no placeholder (those are the request's own values, restored later), and no
   form of a surrogate of the `fake` action or of the value it stands for ("M. DUPONT",
   "0612345678": `proxy.surrogates`), which models write back in their own way;
3. its text appears in none of the request's texts as the app sent them: a value the policy
   let leave in clear (a name to an EU provider, say) and the model repeats is not the
   model's invention.

Whole answers are read once they are complete; streams go through `StreamGate`, sans-I/O:
it holds the restored events of the current sentence (at most `max_hold_chars` of text per
stream) until detection has read them, so the answer still flows sentence by sentence and is
never held whole. Redaction rewrites the held events' text: a value cut across several
events is replaced in the first and removed from the others; once known, a redacted value is
also replaced in every later event (the Responses API repeats the whole text in its `done`
events).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from proxy.detection.types import Analysis, Finding
from proxy.formats.base import AnswerText, compact_json
from proxy.placeholders import TOKEN_PATTERN
from proxy.policy import Action, Generated, Rulebook
from proxy.sse import SSEEvent
from proxy.surrogates import SurrogateIndex

# A sentence or a line ends: the gate checks what it holds.
_BOUNDARIES = frozenset(".!?\n。")


def generated_findings(
    text: str,
    analysis: Analysis,
    rules: Rulebook,
    generated: Generated,
    request_texts: Sequence[str],
    *,
    forms: SurrogateIndex | None = None,
) -> list[Finding]:
    """The findings of `text` that the model generated (see the module docstring), sorted
    and not overlapping (the longer of two overlapping ones is kept). `forms`: the request's
    surrogates and their values (rule 2)."""
    tokens = [(m.start(), m.end()) for m in TOKEN_PATTERN.finditer(text)]
    if forms:
        tokens += forms.spans(text)
    kept: list[Finding] = []
    for finding in sorted(analysis.findings, key=lambda f: (f.start, -(f.end - f.start))):
        value = text[finding.start : finding.end]
        if (
            finding.score < generated.min_score
            or rules.decision_for(finding.entity_type).action is Action.ALLOW
            or not value.strip()
            or any(start < finding.end and finding.start < end for start, end in tokens)
            or any(value in request for request in request_texts)
        ):
            continue
        if kept and finding.start < kept[-1].end:
            if finding.end - finding.start > kept[-1].end - kept[-1].start:
                kept[-1] = finding
            continue
        kept.append(finding)
    return kept


def redact(text: str, findings: Sequence[Finding]) -> str:
    """`text` with each finding replaced by its type label, e.g. `[PHONE_NUMBER]`."""
    for finding in sorted(findings, key=lambda f: f.start, reverse=True):
        text = f"{text[: finding.start]}[{finding.entity_type}]{text[finding.end :]}"
    return text


def counts(findings: Sequence[Sequence[Finding]]) -> dict[str, int]:
    return dict(Counter(f.entity_type for group in findings for f in group))


def answer_slots(payload: Any, answer: AnswerText) -> list[tuple[dict[str, Any], str]]:
    """Where the model's text is in a whole answer: (object, key) pairs, in order."""
    slots: list[tuple[dict[str, Any], str]] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            key = answer.key_of(value)
            if key is not None and isinstance(value.get(key), str):
                slots.append((value, key))
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(payload)
    return slots


# --- streams ------------------------------------------------------------------------------


@dataclass
class _Held:
    events: list[SSEEvent]  # what one upstream event became
    pieces: list[tuple[str, str]]  # (text stream, text) they carry, in order


@dataclass
class StreamGate:
    """Holds a stream's restored events until their text has been read (module docstring).

    `hold(events, pieces)` takes what one upstream event became and the text it carries per
    text stream. `ready()` says how many held groups may be read and released now: those up
    to the last one whose text ends a sentence (or line), all of them once `max_hold_chars`
    are held or at the end; never a group whose text runs on past a sentence end, so a
    value is never released half-read. `windows(n)` gives, per text stream, the text of the
    first `n` groups to read (`context_chars` already released, then theirs) and where
    theirs starts; `release(n, findings)` returns their events, rewritten to redact
    `findings` (per stream, offsets in its window)."""

    max_hold_chars: int = 400
    context_chars: int = 80
    _held: list[_Held] = field(default_factory=list)
    _released: dict[str, str] = field(default_factory=dict)  # per stream: its recent tail
    _redacted: dict[str, str] = field(default_factory=dict)  # value → label, for later events

    def hold(self, events: Sequence[SSEEvent], pieces: Sequence[tuple[str, str]]) -> None:
        if events or pieces:
            self._held.append(_Held(list(events), list(pieces)))

    def ready(self, *, last: bool = False) -> int:
        if last or sum(len(t) for t in self._held_text(len(self._held)).values()) >= (
            self.max_hold_chars
        ):
            return len(self._held)
        text = ""
        ready = 0
        for index, held in enumerate(self._held):
            text += "".join(piece for _, piece in held.pieces)
            if text.rstrip(" ") and text.rstrip(" ")[-1] in _BOUNDARIES:
                ready = index + 1
        return ready

    def windows(self, n: int) -> dict[str, tuple[str, int]]:
        """Per text stream with text in the first `n` held groups: (context + their text,
        where their text starts)."""
        return {
            stream: (self._released.get(stream, "") + text, len(self._released.get(stream, "")))
            for stream, text in self._held_text(n).items()
            if text
        }

    def release(self, n: int, findings: dict[str, list[Finding]] | None = None) -> list[SSEEvent]:
        """The first `n` held events, in order, with `findings` redacted (and every value
        redacted before); the gate keeps the rest."""
        windows = self.windows(n)
        for stream, found in (findings or {}).items():
            window, start = windows[stream]
            held_found = [f for f in found if f.end > start]
            for finding in held_found:
                self._redacted[window[finding.start : finding.end]] = f"[{finding.entity_type}]"
            self._rewrite_pieces(n, stream, start, held_found)
        events = [
            _replace_known(event, self._redacted) if self._redacted else event
            for held in self._held[:n]
            for event in held.events
        ]
        for stream, (window, _) in windows.items():
            self._released[stream] = redact_known(window, self._redacted)[-self.context_chars :]
        del self._held[:n]
        return events

    def _held_text(self, n: int) -> dict[str, str]:
        texts: dict[str, list[str]] = {}
        for held in self._held[:n]:
            for stream, piece in held.pieces:
                texts.setdefault(stream, []).append(piece)
        return {stream: "".join(parts) for stream, parts in texts.items()}

    def _rewrite_pieces(self, n: int, stream: str, start: int, findings: list[Finding]) -> None:
        """Replace each finding (window offsets; the held text begins at `start`) in the held
        pieces of `stream`: the label goes where the value begins, the rest of it is cut."""
        refs = [
            (held, index)
            for held in self._held[:n]
            for index, (name, _) in enumerate(held.pieces)
            if name == stream
        ]
        bounds, offset = [], start
        for held, index in refs:
            piece = held.pieces[index][1]
            bounds.append((offset, offset + len(piece)))
            offset += len(piece)
        new_texts = [list(held.pieces[index][1]) for held, index in refs]
        for finding in sorted(findings, key=lambda f: f.start, reverse=True):
            first = True
            for k, (low, high) in enumerate(bounds):
                lo, hi = max(low, finding.start), min(high, finding.end)
                if lo >= hi:
                    continue
                label = f"[{finding.entity_type}]" if first else ""
                new_texts[k][lo - low : hi - low] = list(label)
                first = False
        for (held, index), chars in zip(refs, new_texts, strict=True):
            name, old = held.pieces[index]
            new = "".join(chars)
            if new != old:
                held.events = _replace_piece(held.events, old, new)
                held.pieces[index] = (name, new)


def redact_known(text: str, redacted: dict[str, str]) -> str:
    for value in sorted(redacted, key=len, reverse=True):
        text = text.replace(value, redacted[value])
    return text


def _event_payload(event: SSEEvent) -> Any:
    if event.data is None or event.comment is not None:
        return None
    try:
        return json.loads(event.data)
    except ValueError:
        return None


def _strings(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def _set(value: Any, path: tuple[Any, ...], new: str) -> None:
    for part in path[:-1]:
        value = value[part]
    value[path[-1]] = new


def _with_payload(event: SSEEvent, payload: Any) -> SSEEvent:
    return replace(event, data=compact_json(payload))


# Keys under which formats put the model's text in stream events, tried first.
_TEXT_KEYS = ("content", "text", "delta", "refusal", "reasoning_content", "arguments")


def _replace_piece(events: list[SSEEvent], old: str, new: str) -> list[SSEEvent]:
    """`events` with the first string value `old` (a piece of text one of them carries) set
    to `new`, preferring the keys formats put text under."""
    for position, event in enumerate(events):
        payload = _event_payload(event)
        if payload is None:
            continue
        candidates = [path for path, text in _strings(payload) if text == old]
        if not candidates:
            continue
        preferred = [path for path in candidates if path and path[-1] in _TEXT_KEYS]
        _set(payload, (preferred or candidates)[0], new)
        return [*events[:position], _with_payload(event, payload), *events[position + 1 :]]
    return events


def _replace_known(event: SSEEvent, redacted: dict[str, str]) -> SSEEvent:
    payload = _event_payload(event)
    if payload is None:
        return event
    changed = False
    for path, text in list(_strings(payload)):
        new = redact_known(text, redacted)
        if new != text:
            _set(payload, path, new)
            changed = True
    return _with_payload(event, payload) if changed else event
