"""`/metrics` on the admin listener (issue 14, item 2), read with Prometheus' own parser after
real traffic through the proxy: requests by app, provider and status, entities by type and
action, blocked and unresolved counts, the latency histograms, time to first token, the audit
queue; and not one personal value, end-user id or model name in any label."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import aiohttp
import openai
import pytest
from aiohttp.test_utils import TestServer
from prometheus_client.openmetrics.parser import (
    text_string_to_metric_families as openmetrics_families,
)
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from proxy.config import Config
from proxy.metrics import Metrics, RequestFigures
from tests.fakes.openai_provider import FakeOpenAI, Reply
from tests.proxy.conftest import CANARIES, OTHER_APP_KEY, AdminFactory, VoileFactory, client_for
from tests.proxy.support import PROMPTS, write_policy

MODEL = "gpt-canary-model-5e1d"  # a model name is caller text: never a label
END_USER = "end-user-canary-8c2f41"  # an end user's id is the app's data: never a label


async def scrape(admin: TestServer, accept: str | None = None) -> tuple[str, str]:
    headers = {"Accept": accept} if accept else {}
    async with (
        aiohttp.ClientSession() as http,
        http.get(admin.make_url("/metrics"), headers=headers) as response,
    ):
        assert response.status == 200
        return response.headers["Content-Type"], await response.text()


def samples(text: str) -> dict[str, tuple[str, list[Sample]]]:
    """Family name -> (type, samples), as Prometheus parses the text."""
    return {
        family.name: (family.type, list(family.samples))
        for family in text_string_to_metric_families(text)
    }


def value(text: str, name: str, **labels: str) -> float:
    found = [
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name and sample.labels == labels
    ]
    assert len(found) <= 1
    return found[0] if found else 0.0


async def chat(
    voile: TestServer, text: str, *, stream: bool = False, key: str | None = None
) -> None:
    async with client_for(voile, **({"key": key} if key else {})) as sdk:
        messages = [{"role": "user", "content": text}]
        if stream:
            chunks = await sdk.chat.completions.create(
                model=MODEL,
                messages=messages,  # type: ignore[arg-type]
                stream=True,
                extra_headers={"x-voile-end-user": END_USER},
            )
            async for _ in chunks:
                pass
        else:
            await sdk.chat.completions.create(
                model=MODEL,
                messages=messages,  # type: ignore[arg-type]
                user=END_USER,
            )


@pytest.fixture
def blocking_config(make_config: Callable[..., Config], policies_dir: Path) -> Config:
    """`support` masks everything (default policy); `hr` may not send an IBAN."""
    write_policy(policies_dir, "strict", "rules:\n  - {entity: IBAN_CODE, action: block}\n")
    config: Config = make_config(
        apps=[
            {"name": "support", "key": "vk-app-support-4f1c0d2e9b", "policy": "default"},
            {"name": "hr", "key_env": "VOILE_TEST_HR_KEY", "policy": "strict"},
        ]
    )
    return config


async def test_metrics_parse_and_count_what_happened(
    start_voile: VoileFactory,
    start_admin: AdminFactory,
    blocking_config: Config,
    fake_openai: FakeOpenAI,
) -> None:
    voile = await start_voile(blocking_config)
    admin = await start_admin(voile)
    fake_openai.replies.extend([Reply(), Reply(), Reply(content="Bonjour <PERSON_abcdef>")])
    await chat(voile, PROMPTS["fr_contact"][0])  # PERSON, EMAIL, PHONE, IBAN masked
    await chat(voile, PROMPTS["en_contact"][0], stream=True)
    await chat(voile, "Bonjour")  # the provider quotes a placeholder it was never given
    with pytest.raises(openai.BadRequestError):
        await chat(voile, PROMPTS["fr_contact"][0], key=OTHER_APP_KEY)  # blocked: IBAN
    async with aiohttp.ClientSession() as http:
        async with http.post(voile.make_url("/openai/v1/chat/completions"), json={}) as response:
            assert response.status == 401
        async with http.get(voile.make_url("/metrics")) as response:
            assert response.status == 404, "the proxy's port serves no metrics"

    content_type, text = await scrape(admin)
    assert content_type.startswith("text/plain; version=0.0.4")
    families = samples(text)
    for name, kind in {
        "voile_requests": "counter",
        "voile_entities": "counter",
        "voile_blocked_requests": "counter",
        "voile_unresolved_placeholders": "counter",
        "voile_unauthenticated": "counter",
        "voile_detection_seconds": "histogram",
        "voile_upstream_seconds": "histogram",
        "voile_audit_write_seconds": "histogram",
        "voile_time_to_first_token_seconds": "histogram",
        "voile_audit_queue_depth": "gauge",
        "voile_audit_backlog": "gauge",
        "voile_audit_refused": "counter",
        "voile_detection_cache_hits": "counter",
        "voile_detection_cache_misses": "counter",
        "voile_detection_cache_entries": "gauge",
        "voile_detection_ready": "gauge",
        "process_resident_memory_bytes": "gauge",
    }.items():
        assert families[name][0] == kind, name

    ok = {"app": "support", "provider": "openai", "status": "200", "decision": "forwarded"}
    assert value(text, "voile_requests_total", **ok, code="ok") == 3
    blocked = {"app": "hr", "provider": "openai", "status": "400", "decision": "blocked"}
    assert value(text, "voile_requests_total", **blocked, code="pii_blocked") == 1
    unidentified = {"app": "-", "provider": "openai", "status": "401", "decision": "rejected"}
    assert value(text, "voile_requests_total", **unidentified, code="invalid_api_key") == 1
    assert value(text, "voile_unauthenticated_total", reason="invalid_app_key") == 1

    assert value(text, "voile_entities_total", app="support", entity="IBAN_CODE", action="mask")
    assert value(text, "voile_entities_total", app="support", entity="PERSON", action="mask") == 2
    assert value(text, "voile_entities_total", app="hr", entity="IBAN_CODE", action="block") == 1
    assert value(text, "voile_blocked_requests_total", app="hr", provider="openai") == 1
    assert value(text, "voile_unresolved_placeholders_total", app="support", provider="openai") == 1

    assert value(text, "voile_detection_seconds_count") == 4  # the blocked request too
    assert value(text, "voile_upstream_seconds_count", provider="openai") == 3
    assert value(text, "voile_time_to_first_token_seconds_count", provider="openai") == 1
    assert value(text, "voile_audit_write_seconds_count", kind="intent") == 3
    assert value(text, "voile_audit_write_seconds_count", kind="outcome") == 4
    assert value(text, "voile_audit_queue_depth") == 0
    assert value(text, "voile_audit_refused_total") == 0
    assert value(text, "voile_detection_ready") == 1
    assert value(text, "voile_detection_cache_misses_total") >= 3

    # A scraper that asks for OpenMetrics gets it, and it parses as OpenMetrics.
    content_type, text = await scrape(admin, "application/openmetrics-text; version=1.0.0")
    assert content_type.startswith("application/openmetrics-text")
    names = {family.name for family in openmetrics_families(text)}
    assert {"voile_requests", "voile_detection_seconds"} <= names


async def test_no_personal_value_end_user_or_model_in_any_metric(
    start_voile: VoileFactory,
    start_admin: AdminFactory,
    blocking_config: Config,
    fake_openai: FakeOpenAI,
) -> None:
    voile = await start_voile(blocking_config)
    admin = await start_admin(voile)
    values: list[str] = [*CANARIES, MODEL, END_USER]
    for name, (prompt, found) in PROMPTS.items():
        values += found
        await chat(voile, prompt, stream=name.startswith("fr"))
        with pytest.raises(openai.BadRequestError):  # every prompt carries something blocked
            await chat(voile, prompt + " IBAN FR76 3000 6000 0112 3456 7890 189", key=OTHER_APP_KEY)
    async with aiohttp.ClientSession() as http:  # caller text in the path, before any app
        for path in ("/John Smith/v1/chat/completions", "/openai/v1/john.smith@example.com"):
            async with http.post(voile.make_url(path), json={}) as response:
                assert response.status in (401, 404)

    _, text = await scrape(admin)
    labels = {
        (sample.name, key, label)
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        for key, label in sample.labels.items()
    }
    assert ("voile_entities_total", "entity", "PERSON") in labels  # the check has labels
    leaked = [
        (name, key, label)
        for name, key, label in labels
        if any(v.lower() in label.lower() for v in values)
    ]
    assert not leaked, f"caller text in metric labels: {leaked}"
    escaped = [v for v in values if v in text or json.dumps(v)[1:-1] in text]
    assert not escaped, f"caller text in the exposition: {escaped}"


async def test_texts_the_prefilter_clears_are_counted(
    start_voile: VoileFactory, start_admin: AdminFactory, fake_openai: FakeOpenAI
) -> None:
    """`voile_detection_prefiltered_total` counts the texts answered without a worker hop:
    everyday words ('Hello, how are you?') count, a text with a name does not, and a text the
    detection cache already knows is not asked again. (The detector is shared by the test
    session, so the figure is read before and after.)"""
    voile = await start_voile()
    admin = await start_admin(voile)
    _, text = await scrape(admin)
    before = value(text, "voile_detection_prefiltered_total")

    fake_openai.replies.extend([Reply(), Reply(), Reply(), Reply()])
    await chat(voile, "Hello, how are you?")  # cleared
    await chat(voile, "Merci beaucoup !", stream=True)  # cleared, streamed
    await chat(voile, PROMPTS["en_contact"][0])  # names and an address: to a worker
    await chat(voile, "Hello, how are you?")  # from the detection cache: not asked again

    _, text = await scrape(admin)
    assert samples(text)["voile_detection_prefiltered"][0] == "counter"
    assert value(text, "voile_detection_prefiltered_total") - before == 2


def test_a_figure_counted_twice_adds_up() -> None:
    """The registry is the application's own: two `Metrics` never share a count."""
    first, second = Metrics(), Metrics()
    figures = RequestFigures("support", "openai", 200, "forwarded", None, {}, False, 0)
    first.request(figures)
    first.request(figures)
    labels = {"app": "support", "provider": "openai", "status": "200"}
    assert first.value("voile_requests_total", **labels, decision="forwarded", code="ok") == 2
    assert second.value("voile_requests_total", **labels, decision="forwarded", code="ok") == 0
