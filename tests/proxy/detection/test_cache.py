"""The detection cache: keyed digests -> analyses, bounded, never plaintext."""

from __future__ import annotations

import pytest

from proxy.detection.cache import DetectionCache, Scope, cache_key, open_cache
from proxy.detection.settings import DetectionSettings
from proxy.detection.types import Analysis, Finding

SCOPE = Scope("a" * 64, ("fr", "en"), None)
KEY = cache_key(b"placeholder secret")


def analysis(*types: str) -> Analysis:
    return Analysis("fr", tuple(Finding(i, i + 1, t, 0.9) for i, t in enumerate(types)))


def test_first_lookup_misses_then_complete_remembers_in_order() -> None:
    cache = DetectionCache(KEY, 10)
    texts = ["Jean Dupont", "bonjour", "Marie Curie"]
    first = cache.lookup(texts, SCOPE)
    assert first.missing == (0, 1, 2)
    assert first.hits == 0
    fresh = [analysis("PERSON"), analysis(), analysis("PERSON", "PERSON")]
    assert cache.complete(first, fresh) == fresh
    # The next turn re-sends them with one new text: only that one is missing.
    second = cache.lookup([*texts[:2], "nouveau", texts[2]], SCOPE)
    assert second.missing == (2,)
    assert second.hits == 3
    merged = cache.complete(second, [analysis("EMAIL_ADDRESS")])
    assert merged == [fresh[0], fresh[1], analysis("EMAIL_ADDRESS"), fresh[2]]


def test_complete_refuses_a_partial_result() -> None:
    cache = DetectionCache(KEY, 10)
    lookup = cache.lookup(["a", "b"], SCOPE)
    with pytest.raises(ValueError, match="1 analyses for 2 texts"):
        cache.complete(lookup, [analysis()])
    assert len(cache) == 0


def test_lru_bound_evicts_least_recently_used() -> None:
    cache = DetectionCache(KEY, 2)
    for text in ("a", "b"):
        cache.complete(cache.lookup([text], SCOPE), [analysis()])
    cache.lookup(["a"], SCOPE)  # "a" used again: "b" is now the oldest
    cache.complete(cache.lookup(["c"], SCOPE), [analysis("PERSON")])
    assert len(cache) == 2
    assert cache.lookup(["a", "b", "c"], SCOPE).missing == (1,)
    assert cache.approx_bytes == 2 * 400 + 120


def test_zero_entries_disables() -> None:
    cache = DetectionCache(KEY, 0)
    assert not cache.enabled
    cache.complete(cache.lookup(["a"], SCOPE), [analysis()])
    assert len(cache) == 0
    assert cache.lookup(["a"], SCOPE).missing == (0,)
    with pytest.raises(ValueError, match="max_entries"):
        DetectionCache(KEY, -1)


@pytest.mark.parametrize(
    ("name", "text", "scope", "settings", "key"),
    [
        ("text", "Jean Dupond", SCOPE, "", KEY),
        ("policy hash", "Jean Dupont", Scope("b" * 64, ("fr", "en"), None), "", KEY),
        ("languages", "Jean Dupont", Scope("a" * 64, ("en", "fr"), None), "", KEY),
        ("options", "Jean Dupont", Scope("a" * 64, ("fr", "en"), "c" * 64), "", KEY),
        ("settings", "Jean Dupont", SCOPE, '{"models":{}}', KEY),
        ("secret", "Jean Dupont", SCOPE, "", cache_key(b"another deployment")),
    ],
)
def test_key_changes_with_everything_a_result_depends_on(
    name: str, text: str, scope: Scope, settings: str, key: bytes
) -> None:
    reference = DetectionCache(KEY, 10).digest("Jean Dupont", SCOPE)
    assert DetectionCache(KEY, 10).digest("Jean Dupont", SCOPE) == reference
    assert DetectionCache(key, 10, settings).digest(text, scope) != reference, name


def test_cache_key_is_not_the_placeholder_secret_or_its_placeholder_key() -> None:
    from proxy.relay import app_secret  # noqa: PLC0415

    secret = b"placeholder secret"
    assert cache_key(secret) not in {secret, app_secret(secret, "support")}
    assert len(cache_key(secret)) == 32


def test_holds_only_digests_and_analyses_never_text() -> None:
    cache = DetectionCache(KEY, 10)
    text = "Jean Dupont habite 12 rue de la Paix"
    cache.complete(
        cache.lookup([text, "surrogate \ud800"], SCOPE),
        [analysis("PERSON", "LOCATION"), analysis()],
    )
    for digest, value in cache._entries.items():
        assert isinstance(digest, bytes)
        assert len(digest) == 32
        assert isinstance(value, Analysis)
        assert all(isinstance(f, Finding) for f in value.findings)
    held = repr(vars(cache)) + repr(list(cache._entries.items()))
    assert "Jean" not in held
    assert text.encode() not in b"".join(cache._entries)


def test_open_cache_uses_only_settings_that_change_results() -> None:
    a = open_cache(b"s", DetectionSettings(workers=1, cache_entries=5))
    b = open_cache(b"s", DetectionSettings(workers=3, timeout_seconds=2, cache_entries=5))
    c = open_cache(b"s", DetectionSettings(workers=1, chunk_chars=3000, cache_entries=5))
    assert a.max_entries == 5
    assert a.digest("x", SCOPE) == b.digest("x", SCOPE) != c.digest("x", SCOPE)
