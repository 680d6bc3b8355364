"""OpenTelemetry traces (issue 14, item 2; `proxy.tracing`): one trace per request, a span per
stage under the request's span, `gen_ai.*` on the provider call, the caller's `traceparent`
continued, sampling, the OTLP exporter over real HTTP, and nothing imported while traces are
off. That no span carries a personal value is checked with the metrics, in
`tests/proxy/test_metrics.py`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import anthropic
import openai
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode
from pydantic import ValidationError

from proxy.config import Config, TraceSettings
from proxy.formats.base import finish_reasons
from proxy.tracing import (
    EVENTS,
    NO_TRACING,
    STAGE_SPANS,
    UPSTREAM_STAGES,
    RequestTrace,
    Stage,
    TraceParent,
    open_tracing,
)
from tests.fakes.anthropic_provider import USAGE_IN, USAGE_OUT, FakeAnthropic
from tests.proxy.conftest import APP_KEY, OTHER_APP_KEY, VoileFactory, client_for
from tests.proxy.support import PROMPTS, both_providers, records, write_policy

MODEL = "gpt-4o-mini"
CLAUDE = "claude-sonnet-4-6"
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT_ID = "00f067aa0ba902b7"
PROXY = Path(__file__).resolve().parents[2] / "proxy"

WHOLE_STAGES = {
    "voile.parse",
    "voile.detect",
    "voile.mask",
    "voile.audit.intent",
    f"chat {MODEL}",
    "voile.read_answer",
    "voile.restore",
    "voile.audit.outcome",
}


@pytest.fixture
def fake_anthropic() -> FakeAnthropic:
    return FakeAnthropic()


@pytest.fixture
async def anthropic_upstream(aiohttp_server: Any, fake_anthropic: FakeAnthropic) -> TestServer:
    server: TestServer = await aiohttp_server(fake_anthropic.app())
    return server


@pytest.fixture
def traced_config(
    make_config: Callable[..., Config], upstream: TestServer, anthropic_upstream: TestServer
) -> Callable[..., Config]:
    """Both providers; traces on (to the console, which the tests
    replace with an in-memory exporter)."""

    def make(hr_policy: str = "default", **traces: Any) -> Config:
        config: Config = make_config(
            providers=both_providers(upstream, anthropic_upstream),
            apps=[
                {"name": "support", "key": APP_KEY, "policy": "default"},
                {"name": "hr", "key_env": "VOILE_TEST_HR_KEY", "policy": hr_policy},
            ],
            telemetry={"traces": {"enabled": True, "exporter": "console", **traces}},
        )
        return config

    return make


def spans_of(exporter: InMemorySpanExporter) -> list[ReadableSpan]:
    return list(exporter.get_finished_spans())


def the_root(spans: list[ReadableSpan]) -> ReadableSpan:
    roots = [span for span in spans if span.kind is SpanKind.SERVER]
    assert len(roots) == 1, [span.name for span in spans]
    return roots[0]


def children(spans: list[ReadableSpan], root: ReadableSpan) -> list[ReadableSpan]:
    assert root.context is not None
    return [
        span
        for span in spans
        if span.parent is not None and span.parent.span_id == root.context.span_id
    ]


async def test_a_request_is_one_trace_with_a_span_per_stage_under_the_request(
    start_voile: VoileFactory, traced_config: Callable[..., Config], upstream: TestServer
) -> None:
    exporter = InMemorySpanExporter()
    config = traced_config()
    voile = await start_voile(config, span_exporter=exporter)
    async with client_for(voile) as sdk:
        await sdk.chat.completions.create(
            model=MODEL,
            messages=[{"role": "user", "content": PROMPTS["fr_contact"][0]}],
        )

    spans = spans_of(exporter)
    root = the_root(spans)
    assert root.name == "POST /v1/chat/completions"
    assert root.parent is None
    assert {span.context.trace_id for span in spans if span.context} == {root.context.trace_id}
    stages = children(spans, root)
    assert len(stages) == len(spans) - 1, "every other span is a child of the request's"
    assert {span.name for span in stages} == WHOLE_STAGES
    # In the order they ran, inside the request's span.
    assert root.start_time is not None
    assert root.end_time is not None
    ordered = sorted(stages, key=lambda span: span.start_time or 0)
    assert [span.name for span in ordered][:4] == [
        "voile.parse",
        "voile.detect",
        "voile.mask",
        "voile.audit.intent",
    ]
    assert ordered[-1].name == "voile.audit.outcome"
    for span in stages:
        assert span.start_time is not None
        assert span.end_time is not None
        assert root.start_time <= span.start_time <= span.end_time <= root.end_time, span.name

    (record,) = records(config)
    attributes = dict(root.attributes or {})
    assert attributes["voile.request_id"] == record.request_id
    assert attributes["voile.app"] == "support"
    assert attributes["voile.provider"] == "openai"
    assert attributes["voile.decision"] == "forwarded"
    assert attributes["http.response.status_code"] == 200
    assert attributes["http.route"] == "/v1/chat/completions"
    assert attributes["voile.policy.name"] == "default"
    assert attributes["voile.policy.hash"] == record.policy_hash
    for kind in ("PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "IBAN_CODE"):
        assert attributes[f"voile.entities.{kind}"] == 1, kind
    assert attributes["voile.actions.mask"] == 4
    assert root.status.status_code is StatusCode.UNSET

    (call,) = [span for span in stages if span.kind is SpanKind.CLIENT]
    assert dict(call.attributes or {}) == {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "openai",
        "gen_ai.system": "openai",
        "gen_ai.request.model": MODEL,
        "gen_ai.usage.input_tokens": 11,
        "gen_ai.usage.output_tokens": 7,
        "gen_ai.response.finish_reasons": ("stop",),
        "http.response.status_code": 200,
        "server.address": "127.0.0.1",
        "server.port": upstream.port,
        "voile.provider": "openai",
        "voile.provider.format": "openai",
    }


async def test_a_stream_has_its_relay_span_and_first_token_event(
    start_voile: VoileFactory, traced_config: Callable[..., Config]
) -> None:
    exporter = InMemorySpanExporter()
    voile = await start_voile(traced_config(), span_exporter=exporter)
    async with anthropic.AsyncAnthropic(
        base_url=str(voile.make_url("/anthropic")), api_key=APP_KEY, max_retries=0
    ) as sdk:
        stream = await sdk.messages.create(
            model=CLAUDE,
            max_tokens=64,
            messages=[{"role": "user", "content": PROMPTS["en_contact"][0]}],
            stream=True,
        )
        async for _ in stream:
            pass
    await wait_for_spans(exporter, "voile.audit.outcome")

    spans = spans_of(exporter)
    root = the_root(spans)
    assert root.name == "POST /v1/messages"
    names = {span.name for span in children(spans, root)}
    assert {"voile.detect", "voile.mask", f"chat {CLAUDE}", "voile.stream"} <= names
    assert "voile.restore" not in names, "a stream is restored as it is relayed"
    assert "first_token" in {event.name for event in root.events}
    assert dict(root.attributes or {})["voile.stream"] is True
    (call,) = [span for span in spans if span.kind is SpanKind.CLIENT]
    attributes = dict(call.attributes or {})
    assert attributes["gen_ai.provider.name"] == "anthropic"
    assert attributes["gen_ai.usage.input_tokens"] == USAGE_IN
    assert attributes["gen_ai.usage.output_tokens"] == USAGE_OUT
    assert attributes["gen_ai.response.finish_reasons"] == ("end_turn",)


async def wait_for_spans(exporter: InMemorySpanExporter, name: str) -> None:
    """A stream's outcome (and so its trace) is written once its last byte is sent: it may
    land just after the client has read everything. Bounded wait."""
    import asyncio  # noqa: PLC0415

    for _ in range(100):
        if any(span.name == name for span in exporter.get_finished_spans()):
            return
        await asyncio.sleep(0.05)


async def test_the_callers_traceparent_is_continued_and_its_tracestate_dropped(
    start_voile: VoileFactory, traced_config: Callable[..., Config]
) -> None:
    exporter = InMemorySpanExporter()
    voile = await start_voile(traced_config(), span_exporter=exporter)
    async with client_for(voile) as sdk:
        await sdk.chat.completions.create(
            model=MODEL,
            messages=[{"role": "user", "content": "Hello"}],
            extra_headers={
                "traceparent": f"00-{TRACE_ID}-{PARENT_ID}-01",
                "tracestate": "vendor=john.smith",
            },
        )
    root = the_root(spans_of(exporter))
    assert root.parent is not None
    assert root.parent.is_remote
    assert root.parent.span_id == int(PARENT_ID, 16)
    assert root.context is not None
    assert root.context.trace_id == int(TRACE_ID, 16)
    assert not root.context.trace_state, "tracestate is the caller's free text"


async def test_a_blocked_request_has_no_provider_call(
    start_voile: VoileFactory, traced_config: Callable[..., Config], policies_dir: Any
) -> None:
    write_policy(policies_dir, "strict", "rules:\n  - {entity: IBAN_CODE, action: block}\n")
    exporter = InMemorySpanExporter()
    voile = await start_voile(traced_config(hr_policy="strict"), span_exporter=exporter)
    async with client_for(voile, key=OTHER_APP_KEY) as sdk:
        with pytest.raises(openai.BadRequestError):
            await sdk.chat.completions.create(
                model=MODEL, messages=[{"role": "user", "content": PROMPTS["fr_contact"][0]}]
            )
    spans = spans_of(exporter)
    root = the_root(spans)
    attributes = dict(root.attributes or {})
    assert attributes["voile.decision"] == "blocked"
    assert attributes["error.type"] == "pii_blocked"
    assert attributes["voile.blocked"] == ("IBAN_CODE",)
    assert root.status.status_code is StatusCode.UNSET, "a refusal is not a server error"
    names = {span.name for span in children(spans, root)}
    assert {"voile.detect", "voile.mask", "voile.audit.outcome"} <= names
    assert not [span for span in spans if span.kind is SpanKind.CLIENT]
    assert "voile.audit.intent" not in names


async def test_an_unreachable_provider_is_a_failed_call(
    start_voile: VoileFactory, make_config: Callable[..., Config], unused_tcp_port: int
) -> None:
    exporter = InMemorySpanExporter()
    config = make_config(
        providers={"openai": {"base_url": f"http://127.0.0.1:{unused_tcp_port}"}},
        telemetry={"traces": {"enabled": True}},
    )
    voile = await start_voile(config, span_exporter=exporter)
    async with client_for(voile) as sdk:
        with pytest.raises(openai.APIStatusError):
            await sdk.chat.completions.create(
                model=MODEL, messages=[{"role": "user", "content": "Hello"}]
            )
    spans = spans_of(exporter)
    root = the_root(spans)
    assert root.status.status_code is StatusCode.ERROR
    (call,) = [span for span in spans if span.kind is SpanKind.CLIENT]
    assert call.status.status_code is StatusCode.ERROR
    assert dict(call.attributes or {})["error.type"] == "upstream_unreachable"


async def test_sampling_keeps_a_share_of_new_traces_and_follows_the_caller(
    start_voile: VoileFactory, traced_config: Callable[..., Config]
) -> None:
    exporter = InMemorySpanExporter()
    voile = await start_voile(traced_config(sample_ratio=0.0), span_exporter=exporter)
    async with client_for(voile) as sdk:
        for _ in range(3):
            await sdk.chat.completions.create(
                model=MODEL, messages=[{"role": "user", "content": "Hello"}]
            )
        assert not spans_of(exporter)
        await sdk.chat.completions.create(
            model=MODEL,
            messages=[{"role": "user", "content": "Hello"}],
            extra_headers={"traceparent": f"00-{TRACE_ID}-{PARENT_ID}-01"},
        )
    assert the_root(spans_of(exporter)).parent is not None


async def test_spans_reach_an_otlp_collector_over_http(
    aiohttp_server: Any, start_voile: VoileFactory, traced_config: Callable[..., Config]
) -> None:
    """The configured exporter (OTLP over HTTP/protobuf, batched in a thread), against a
    collector on 127.0.0.1 that decodes what it receives; flushed when Voile stops."""
    received: list[ExportTraceServiceRequest] = []

    async def collect(request: web.Request) -> web.Response:
        assert request.content_type == "application/x-protobuf"
        message = ExportTraceServiceRequest()
        message.ParseFromString(await request.read())
        received.append(message)
        return web.Response(body=b"", content_type="application/x-protobuf")

    collector_app = web.Application()
    collector_app.router.add_post("/v1/traces", collect)
    collector = await aiohttp_server(collector_app)
    voile = await start_voile(
        traced_config(exporter="otlp", endpoint=str(collector.make_url("/v1/traces")))
    )
    async with client_for(voile) as sdk:
        await sdk.chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": "Hello"}]
        )
    await voile.close()  # the app's clean-up shuts the provider down, which flushes

    resource_spans = [r for message in received for r in message.resource_spans]
    service = {
        attribute.value.string_value
        for r in resource_spans
        for attribute in r.resource.attributes
        if attribute.key == "service.name"
    }
    assert service == {"voile"}
    names = {span.name for r in resource_spans for s in r.scope_spans for span in s.spans}
    assert {"POST /v1/chat/completions", "voile.detect", f"chat {MODEL}"} <= names


def test_traces_off_import_nothing_and_on_without_the_packages_is_a_config_error() -> None:
    """Run where OpenTelemetry cannot be imported, as without the `otel` extra."""
    script = """
import sys
sys.modules["opentelemetry"] = None
from proxy.app import create_app  # the proxy loads without the packages
from proxy.config import TraceSettings
from proxy.tracing import NO_TRACING, open_tracing
from proxy.yamlfile import ConfigError
assert open_tracing(TraceSettings()) is NO_TRACING
try:
    open_tracing(TraceSettings(enabled=True))
except ConfigError as error:
    print(error)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert "pip install 'voile[otel]'" in done.stdout, done.stderr
    assert open_tracing(TraceSettings()) is NO_TRACING


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (f"00-{TRACE_ID}-{PARENT_ID}-01", TraceParent(int(TRACE_ID, 16), int(PARENT_ID, 16), True)),
        (
            f"00-{TRACE_ID}-{PARENT_ID}-00",
            TraceParent(int(TRACE_ID, 16), int(PARENT_ID, 16), False),
        ),
        (
            f"01-{TRACE_ID}-{PARENT_ID}-01-later",
            TraceParent(int(TRACE_ID, 16), int(PARENT_ID, 16), True),
        ),
        (f"00-{TRACE_ID}-{PARENT_ID}-01-later", None),  # version 00 has exactly four fields
        (f"ff-{TRACE_ID}-{PARENT_ID}-01", None),
        (f"00-{'0' * 32}-{PARENT_ID}-01", None),
        (f"00-{TRACE_ID}-{'0' * 16}-01", None),
        (f"00-{TRACE_ID.upper()}-{PARENT_ID}-01", None),
        ("00-john.smith@example.com", None),
        ("", None),
        (None, None),
    ],
)
def test_traceparent_grammar(header: str | None, expected: TraceParent | None) -> None:
    assert TraceParent.of(header) == expected


@pytest.mark.parametrize(
    "traces",
    [
        {"enabled": True, "endpoint": "collector:4318"},
        {"enabled": True, "sample_ratio": 1.5},
        {"enabled": True, "exporter": "jaeger"},
        {"enabled": True, "service_name": ""},
    ],
)
def test_invalid_trace_settings_are_refused(traces: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        TraceSettings.model_validate(traces)


async def test_unknown_route_under_a_provider_is_traced_without_caller_text(
    start_voile: VoileFactory, traced_config: Callable[..., Config]
) -> None:
    exporter = InMemorySpanExporter()
    voile = await start_voile(traced_config(), span_exporter=exporter)
    async with aiohttp.ClientSession() as http:
        url = voile.make_url("/openai/v1/john.smith@example.com")
        async with http.request(
            "PROPFIND", url, headers={"Authorization": f"Bearer {APP_KEY}"}
        ) as response:
            assert response.status in (404, 405)
    root = the_root(spans_of(exporter))
    assert root.name == "_OTHER"
    assert NO_TRACING.enabled is False


async def test_the_console_exporter_writes_one_json_line_per_span_on_stderr(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """stdout carries the JSON log lines: spans go to stderr, one line each."""
    tracing = open_tracing(TraceSettings(enabled=True, exporter="console"))
    started = time.perf_counter()
    trace = RequestTrace(
        request_id="voile-0123",
        received_at=datetime.now(UTC),
        started=started,
        method="POST",
        parent=None,
        route="/v1/chat/completions",
        app="support",
        provider="openai",
        provider_format="openai",
        provider_base_url="https://api.openai.com",
        region="us",
        status=200,
        decision="forwarded",
        error_code=None,
        operation="chat.completions",
        model=MODEL,
        stages=(
            Stage("detect", started, started + 0.01),
            Stage("upstream_headers", started, started + 0.2),
        ),
    )
    tracing.request(trace, started + 0.3)
    await tracing.close()
    captured = capsys.readouterr()
    assert not captured.out
    lines = [json.loads(line) for line in captured.err.splitlines()]
    assert {line["name"] for line in lines} == {
        "POST /v1/chat/completions",
        "voile.detect",
        f"chat {MODEL}",
    }
    (call,) = [line for line in lines if line["kind"] == "SpanKind.CLIENT"]
    assert call["attributes"]["server.address"] == "api.openai.com"


async def test_a_streamed_chat_says_why_it_finished(
    start_voile: VoileFactory, traced_config: Callable[..., Config]
) -> None:
    exporter = InMemorySpanExporter()
    voile = await start_voile(traced_config(), span_exporter=exporter)
    async with client_for(voile) as sdk:
        chunks = await sdk.chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": "Hello"}], stream=True
        )
        async for _ in chunks:
            pass
    await wait_for_spans(exporter, "voile.audit.outcome")
    (call,) = [span for span in spans_of(exporter) if span.kind is SpanKind.CLIENT]
    assert dict(call.attributes or {})["gen_ai.response.finish_reasons"] == ("stop",)


def test_finish_reasons_are_kept_in_their_grammar_only() -> None:
    """A provider's text is not trusted to be a word: it goes into traces."""
    given: list[object] = ["stop", "Jean Dupont", None, 3, "x" * 40, "Length", "tool_calls"]
    assert finish_reasons(given) == ("stop", "tool_calls")
    assert len(finish_reasons(["stop"] * 20)) == 8


def test_every_stage_the_proxy_times_has_its_span_or_event() -> None:
    """A stage added to the relay without a span would silently vanish from traces: every
    name `Exchange.timed`, `Exchange.stage` or `analyze(stage=…)` is given in the proxy's
    source is one `proxy.tracing` knows."""
    source = "\n".join(path.read_text(encoding="utf-8") for path in PROXY.rglob("*.py"))
    timed = set(re.findall(r'(?:\.timed|\.stage)\(\s*"(\w+)"', source))
    timed |= set(re.findall(r'\bstage(?:: str)? ?= ?"(\w+)"', source))  # analyze's stage
    assert {"parse", "detect", "mask", "audit_intent", "upstream_headers", "stream"} <= timed
    assert timed <= set(STAGE_SPANS) | set(UPSTREAM_STAGES) | set(EVENTS)
