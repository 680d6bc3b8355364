"""`/metrics` on the admin listener (issue 14, item 2), read with Prometheus' own parser after
real traffic through the proxy: requests by app, provider and status, entities by type and
action, blocked and unresolved counts, the latency histograms, time to first token, the audit
queue; and not one personal value, end-user id or model name in any label, nor a personal
value or end-user id in any span (`proxy.tracing`)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
import anthropic
import openai
import pytest
from aiohttp.test_utils import TestServer
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from prometheus_client.openmetrics.parser import (
    text_string_to_metric_families as openmetrics_families,
)
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from proxy.config import Config
from proxy.metrics import Metrics, RequestFigures
from tests.fakes.anthropic_provider import FakeAnthropic
from tests.fakes.openai_provider import FakeOpenAI, Reply
from tests.proxy.conftest import (
    APP_KEY,
    CANARIES,
    OTHER_APP_KEY,
    AdminFactory,
    VoileFactory,
    client_for,
)
from tests.proxy.support import PROMPTS, both_providers, write_policy

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


@pytest.fixture
def fake_anthropic() -> FakeAnthropic:
    return FakeAnthropic()


@pytest.fixture
async def anthropic_upstream(aiohttp_server: Any, fake_anthropic: FakeAnthropic) -> TestServer:
    server: TestServer = await aiohttp_server(fake_anthropic.app())
    return server


@pytest.fixture
def traced_config(
    make_config: Callable[..., Config],
    policies_dir: Path,
    upstream: TestServer,
    anthropic_upstream: TestServer,
    unused_tcp_port: int,
) -> Config:
    """`blocking_config` in front of both wire formats and a provider nobody listens for,
    with traces on."""
    write_policy(policies_dir, "strict", "rules:\n  - {entity: IBAN_CODE, action: block}\n")
    providers = both_providers(upstream, anthropic_upstream)
    providers["down"] = {"base_url": f"http://127.0.0.1:{unused_tcp_port}"}
    config: Config = make_config(
        providers=providers,
        apps=[
            {"name": "support", "key": "vk-app-support-4f1c0d2e9b", "policy": "default"},
            {"name": "hr", "key_env": "VOILE_TEST_HR_KEY", "policy": "strict"},
        ],
        telemetry={"traces": {"enabled": True}},
    )
    return config


async def messages(voile: TestServer, text: str, *, stream: bool, key: str = APP_KEY) -> None:
    """The Anthropic wire format, with the end user in `metadata.user_id`."""
    async with anthropic.AsyncAnthropic(
        base_url=str(voile.make_url("/anthropic")), api_key=key, max_retries=0
    ) as sdk:
        request: dict[str, Any] = {
            "model": MODEL,
            "max_tokens": 64,
            "messages": [{"role": "user", "content": text}],
            "metadata": {"user_id": END_USER},
        }
        if stream:
            async for _ in await sdk.messages.create(**request, stream=True):
                pass
        else:
            await sdk.messages.create(**request)


def forms(value: str) -> set[str]:
    """How a value may be written in a span or a label: as sent, in lower case, without
    spaces, and its digits alone (a phone number, an IBAN, a card) when it has enough of
    them to mean something."""
    found = {value, value.lower(), "".join(value.split()).lower()}
    digits = "".join(c for c in value if c.isdigit())
    if len(digits) >= 6:
        found.add(digits)
    return found


def span_texts(span: ReadableSpan) -> list[tuple[str, str]]:
    """(where, text) for everything a span says: its name, status, attribute keys and values,
    events and their attributes, links' attributes; and its resource's attributes."""
    texts = [("name", span.name), ("status", span.status.description or "")]
    attribute_sets = [("attribute", span.attributes or {}), ("resource", span.resource.attributes)]
    attribute_sets += [(f"event {event.name}", event.attributes or {}) for event in span.events]
    attribute_sets += [("link", link.attributes or {}) for link in span.links]
    texts += [("event", event.name) for event in span.events]
    for where, attributes in attribute_sets:
        for key, value in attributes.items():
            texts += [(where, key), (f"{where} {key}", str(value))]
    return texts


async def test_no_personal_value_or_end_user_in_any_metric_or_span(
    start_voile: VoileFactory,
    start_admin: AdminFactory,
    traced_config: Config,
    fake_openai: FakeOpenAI,
) -> None:
    """Both wire formats, streamed and not, masked and blocked, a provider that cannot be
    reached and caller text in the path: no metric label and no span carries a personal
    value or the end user's id. The model id is in spans (`gen_ai.request.model`, as in the
    log line) and nowhere else; it is never a label."""
    exporter = InMemorySpanExporter()
    voile = await start_voile(traced_config, span_exporter=exporter)
    admin = await start_admin(voile)
    values: list[str] = [*CANARIES, END_USER]
    for name, (prompt, found) in PROMPTS.items():
        values += found
        await chat(voile, prompt, stream=name.startswith("fr"))
        await messages(voile, prompt, stream=name.startswith("en"))
        blocked = prompt + " IBAN FR76 3000 6000 0112 3456 7890 189"
        with pytest.raises(openai.BadRequestError):  # every prompt carries something blocked
            await chat(voile, blocked, key=OTHER_APP_KEY)
        with pytest.raises(anthropic.BadRequestError):
            await messages(voile, blocked, stream=True, key=OTHER_APP_KEY)
    async with openai.AsyncOpenAI(
        base_url=str(voile.make_url("/down/v1")), api_key=APP_KEY, max_retries=0
    ) as down:
        with pytest.raises(openai.APIStatusError):
            await down.chat.completions.create(
                model=MODEL,
                messages=[{"role": "user", "content": PROMPTS["en_contact"][0]}],
                user=END_USER,
            )
    async with aiohttp.ClientSession() as http:  # caller text in the path, before any app
        for path in ("/John Smith/v1/chat/completions", "/openai/v1/john.smith@example.com"):
            async with http.post(voile.make_url(path), json={}) as response:
                assert response.status in (401, 404)
        headers = {"Authorization": f"Bearer {APP_KEY}"}  # and after
        async with http.post(
            voile.make_url("/openai/v1/Jean Dupont/completions"), json={}, headers=headers
        ) as response:
            assert response.status in (400, 404)  # a path segment outside the id grammar

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
        if any(v.lower() in label.lower() for v in [*values, MODEL])
    ]
    assert not leaked, f"caller text in metric labels: {leaked}"
    escaped = [v for v in [*values, MODEL] if v in text or json.dumps(v)[1:-1] in text]
    assert not escaped, f"caller text in the exposition: {escaped}"

    # Streams end (and are traced) just after their last byte: wait for every request.
    expected_requests = 4 * len(PROMPTS) + 1 + 3
    for _ in range(100):
        roots = [s for s in exporter.get_finished_spans() if s.kind is SpanKind.SERVER]
        if len(roots) >= expected_requests:
            break
        await asyncio.sleep(0.05)
    spans = list(exporter.get_finished_spans())
    assert len(roots) == expected_requests
    names = {span.name for span in spans}
    assert {"voile.detect", "voile.mask", "voile.stream", "voile.restore"} <= names
    # One trace per request: every other span is a child of its request's span.
    root_of = {root.context.trace_id: root.context.span_id for root in roots if root.context}
    assert len(root_of) == expected_requests
    for span in spans:
        assert span.context is not None
        if span.kind is not SpanKind.SERVER:
            assert span.parent is not None, span.name
            assert span.parent.span_id == root_of[span.context.trace_id], span.name
    attributes = {key for span in spans for key in (span.attributes or {})}
    assert {"voile.entities.PERSON", "voile.entities.IBAN_CODE", "voile.blocked"} <= attributes
    forbidden = {form for value in values for form in forms(value)}
    found = [
        (span.name, where, said)
        for span in spans
        for where, said in span_texts(span)
        if any(form in said.lower() for form in forbidden)
    ]
    assert not found, f"personal values in spans: {found}"
    model_in = {
        (span.kind, where) for span in spans for where, said in span_texts(span) if MODEL in said
    }
    assert model_in == {
        (SpanKind.CLIENT, "name"),
        (SpanKind.CLIENT, "attribute gen_ai.request.model"),
    }


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
