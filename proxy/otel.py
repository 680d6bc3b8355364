"""The OpenTelemetry side of `proxy.tracing`: imported only when traces are enabled, since the
packages are the optional `otel` extra. What the spans say is decided in `proxy.tracing`;
this module only turns a `RequestTrace` into SDK spans and sends them to the exporter."""

from __future__ import annotations

import asyncio
import os
import sys

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
    SpanExporter,
)
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased
from opentelemetry.trace import NonRecordingSpan, SpanContext, SpanKind, Status, StatusCode

from proxy.config import TraceSettings
from proxy.logging import get_logger
from proxy.tracing import (
    EVENTS,
    STAGE_SPANS,
    UPSTREAM_STAGES,
    RequestTrace,
    Tracing,
)

INSTRUMENTATION = "voile.proxy"

log = get_logger("voile.tracing")


def tracer_provider(settings: TraceSettings, exporter: SpanExporter | None) -> TracerProvider:
    """A provider of its own (never the global one), sampling new traces at `sample_ratio`
    and following the caller's decision when a `traceparent` came with the request."""
    resource = Resource.create({"service.name": settings.service_name})
    sampler = ParentBased(TraceIdRatioBased(settings.sample_ratio))
    provider = TracerProvider(resource=resource, sampler=sampler)
    processor: SpanProcessor
    if exporter is not None:
        processor = SimpleSpanProcessor(exporter)
    else:
        # A thread exports in batches: the event loop never waits on the collector.
        processor = BatchSpanProcessor(configured_exporter(settings))
    provider.add_span_processor(processor)
    return provider


def configured_exporter(settings: TraceSettings) -> SpanExporter:
    if settings.exporter == "console":
        # One JSON line per span, on stderr: stdout carries the JSON log lines.
        return ConsoleSpanExporter(out=sys.stderr, formatter=_one_line)
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import (  # noqa: PLC0415
        OTLPSpanExporter,  # OTLP over HTTP/protobuf: no gRPC dependency
    )

    # No endpoint: the exporter reads OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (or
    # OTEL_EXPORTER_OTLP_ENDPOINT), else http://localhost:4318/v1/traces; headers (a
    # backend's API key) come from OTEL_EXPORTER_OTLP_HEADERS, never from the config file.
    return OTLPSpanExporter(endpoint=settings.endpoint)


def _one_line(span: ReadableSpan) -> str:
    line: str = span.to_json(indent=None)
    return line + os.linesep


class OpenTelemetryTracing(Tracing):
    enabled = True

    def __init__(self, provider: TracerProvider) -> None:
        self.provider = provider
        self.tracer = provider.get_tracer(INSTRUMENTATION)

    def request(self, trace_: RequestTrace, ended: float) -> None:
        """The request's spans, built and handed to the exporter; a failure here is logged
        (its type only) and never reaches the request."""
        try:
            self._export(trace_, ended)
        except Exception as exc:
            log.error("trace_failed", request_id=trace_.request_id, error_type=type(exc).__name__)

    def _export(self, trace_: RequestTrace, ended: float) -> None:
        parent = trace_.parent
        context = (
            trace.set_span_in_context(
                NonRecordingSpan(
                    SpanContext(
                        parent.trace_id,
                        parent.span_id,
                        is_remote=True,
                        trace_flags=trace.TraceFlags(int(parent.sampled)),
                    )
                )
            )
            if parent is not None
            else None
        )
        name = f"{trace_.method} {trace_.route}" if trace_.route else trace_.method
        root = self.tracer.start_span(
            name,
            context=context,
            kind=SpanKind.SERVER,
            attributes=trace_.request_attributes(),
            start_time=trace_.epoch_ns(trace_.started),
        )
        if not root.is_recording():  # not sampled: nothing more to build
            root.end()
            return
        inside = trace.set_span_in_context(root)
        for stage in trace_.stages:
            if stage.name in EVENTS:
                root.add_event(stage.name, timestamp=trace_.epoch_ns(stage.end))
                continue
            upstream = stage.name in UPSTREAM_STAGES
            if not upstream and stage.name not in STAGE_SPANS:
                continue
            span = self.tracer.start_span(
                trace_.upstream_name() if upstream else STAGE_SPANS[stage.name],
                context=inside,
                kind=SpanKind.CLIENT if upstream else SpanKind.INTERNAL,
                attributes=trace_.upstream_attributes() if upstream else None,
                start_time=trace_.epoch_ns(stage.start),
            )
            if upstream and trace_.upstream_failed:
                span.set_status(Status(StatusCode.ERROR))
                span.set_attribute(
                    "error.type",
                    str(trace_.upstream_status)
                    if trace_.upstream_status
                    else trace_.error_code or "no_answer",
                )
            span.end(end_time=trace_.epoch_ns(stage.end))
        if trace_.failed:
            root.set_status(Status(StatusCode.ERROR))
        root.end(end_time=trace_.epoch_ns(ended))

    async def close(self) -> None:
        # Off the event loop: the batch exporter may flush over the network.
        await asyncio.to_thread(self.provider.shutdown)
