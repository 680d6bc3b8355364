"""Detection results remembered per proxy process, so a conversation's history is analysed
once and not again on every turn (a chat re-sends all of it each time).

Sans-I/O: the relay asks `lookup` which texts are known, sends only the others to the
workers, and `complete` merges the fresh analyses back in order and remembers them.

1. Never plaintext. An entry is keyed by HMAC-SHA256 of the text under a key derived from
   the deployment's placeholder secret with its own label, so the table holds digests and
   `Analysis` values (offsets, entity types, scores, language) only. A keyed hash, not a
   plain one: without the secret, a digest cannot be checked against guessed values.
2. The key covers everything a result depends on besides the text: the policy's sha256
   (its languages, rules, own recognizers and allow-list are all in its file), the candidate
   languages and the policy's detection options, the detection settings (models, phone
   regions, chunking) and `ENGINE_VERSION`. A changed policy or engine misses, so nothing
   needs invalidating; its old entries age out of the LRU.
3. Bounded: at most `max_entries` entries, least recently used evicted first; 0 disables.
   An entry costs roughly `ENTRY_BYTES + FINDING_BYTES` per finding (CPython objects: the
   digest, the frozen dataclasses, the dict slot), ~1.5 MB for the default 10,000 entries
   with a few findings each; `approx_bytes` counts it.
4. Results only change how detection is obtained, never what is done with it: placeholders
   come from the values and the policy, the audit from the analyses, both the same on a hit.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from proxy.detection.types import Analysis

if TYPE_CHECKING:
    from proxy.detection.settings import DetectionSettings
    from proxy.policy import Policy

# Bump when the recognizers or the engine change what they find for the same text.
ENGINE_VERSION = "voile-detection/1"

ENTRY_BYTES = 400
FINDING_BYTES = 120

_LABEL = b"voile/detection-cache/v1"


def cache_key(placeholder_secret: bytes) -> bytes:
    """The cache's own key, unrelated to the placeholder and conversation keys."""
    return hmac.new(placeholder_secret, _LABEL, hashlib.sha256).digest()


@dataclass(frozen=True, slots=True)
class Scope:
    """What a request's results depend on besides each text (see point 2)."""

    policy_sha256: str
    languages: tuple[str, ...]
    options_key: str | None  # `PolicyDetection.key`, None without policy-level recognizers

    @classmethod
    def of(cls, policy: Policy) -> Scope:
        options = policy.detection_options
        return cls(
            policy.sha256, tuple(policy.spec.languages), None if options is None else options.key
        )

    def digest(self, settings: str) -> bytes:
        fields = [
            ENGINE_VERSION,
            settings,
            self.policy_sha256,
            list(self.languages),
            self.options_key,
        ]
        return hashlib.sha256(json.dumps(fields).encode()).digest()


@dataclass(frozen=True, slots=True)
class Lookup:
    """The texts of one request: the digest of each, what the cache already knew (None:
    to analyse) and the indices of the texts to send to the workers."""

    digests: tuple[bytes, ...]
    known: tuple[Analysis | None, ...]

    @property
    def missing(self) -> tuple[int, ...]:
        return tuple(index for index, found in enumerate(self.known) if found is None)

    @property
    def hits(self) -> int:
        return len(self.known) - len(self.missing)


# The detection settings that change what is found (not workers, timeouts or memory).
RESULT_SETTINGS = {"models", "chunk_chars", "overlap_chars", "phone_regions", "language_accuracy"}


def open_cache(placeholder_secret: bytes, settings: DetectionSettings) -> DetectionCache:
    return DetectionCache(
        cache_key(placeholder_secret),
        settings.cache_entries,
        settings.model_dump_json(include=RESULT_SETTINGS),
    )


class DetectionCache:
    """An LRU of text digest -> `Analysis`, for one proxy process."""

    def __init__(self, key: bytes, max_entries: int, settings: str = "") -> None:
        if max_entries < 0:
            raise ValueError("max_entries must be 0 (disabled) or more")
        self._key = key
        self._settings = settings  # the detection settings, as JSON (see point 2)
        self.max_entries = max_entries
        self._entries: OrderedDict[bytes, Analysis] = OrderedDict()
        self.approx_bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def enabled(self) -> bool:
        return self.max_entries > 0

    def gauges(self) -> dict[str, int]:
        """For `/metrics`: its size (hits and misses are counted by the relay)."""
        return {
            "voile_detection_cache_entries": len(self._entries),
            "voile_detection_cache_bytes": self.approx_bytes,
        }

    def digest(self, text: str, scope: Scope) -> bytes:
        # The scope digest has a fixed length, so scope and text cannot run into each other.
        message = scope.digest(self._settings) + text.encode("utf-8", "surrogatepass")
        return hmac.new(self._key, message, hashlib.sha256).digest()

    def lookup(self, texts: Sequence[str], scope: Scope) -> Lookup:
        if not self.enabled:
            return Lookup((), (None,) * len(texts))
        digests = tuple(self.digest(text, scope) for text in texts)
        known: list[Analysis | None] = []
        for digest in digests:
            found = self._entries.get(digest)
            if found is not None:
                self._entries.move_to_end(digest)
            known.append(found)
        return Lookup(digests, tuple(known))

    def complete(self, lookup: Lookup, fresh: Sequence[Analysis]) -> list[Analysis]:
        """Every text's analysis in order: the known ones, and `fresh` (one per missing
        text, in order) in the gaps, which are remembered."""
        missing = lookup.missing
        if len(fresh) != len(missing):
            raise ValueError(f"{len(fresh)} analyses for {len(missing)} texts")
        merged = list(lookup.known)
        for index, analysis in zip(missing, fresh, strict=True):
            merged[index] = analysis
            if self.enabled:
                self._put(lookup.digests[index], analysis)
        return [analysis for analysis in merged if analysis is not None]

    def _put(self, digest: bytes, analysis: Analysis) -> None:
        if digest in self._entries:
            self._entries.move_to_end(digest)
            return
        self._entries[digest] = analysis
        self.approx_bytes += _size(analysis)
        while len(self._entries) > self.max_entries:
            _, evicted = self._entries.popitem(last=False)
            self.approx_bytes -= _size(evicted)


def _size(analysis: Analysis) -> int:
    return ENTRY_BYTES + FINDING_BYTES * len(analysis.findings)
