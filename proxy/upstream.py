"""Talking to the provider: which headers cross the proxy, and how failures are named.

Request headers are an allow-list with a grammar per header: cookies, forwarding headers
and anything unknown stay inside, because they can identify the end user; an allowed header
whose value is not in its grammar refuses the request (400 `invalid_header`).
Provider keys are injected here and only here.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping

import aiohttp
from multidict import CIMultiDict, CIMultiDictProxy

from proxy.apps import AppIdentity
from proxy.config import ProviderSettings
from proxy.errors import InvalidHeader, UpstreamTimeout, UpstreamUnreachable, VoileError
from proxy.formats import FORMATS

# Request headers that cross the proxy, each with the grammar its value must match (else
# 400 `invalid_header`). They are SDK and API plumbing, chosen by the app's code, not by its
# end users; none is logged or audited. `Content-Type` is not among them: the proxy
# serialises the masked body itself. THREAT_MODEL.md says why each one is forwarded.
_PRINTABLE = re.compile(r"[\x20-\x7e]{1,256}")
_REQUEST_HEADERS: dict[str, re.Pattern[str]] = {
    "accept": _PRINTABLE,
    "user-agent": _PRINTABLE,
    "idempotency-key": re.compile(r"[A-Za-z0-9_.:-]{1,128}"),
    "openai-organization": re.compile(r"org-[A-Za-z0-9]{1,64}"),
    "openai-project": re.compile(r"proj_[A-Za-z0-9]{1,64}"),
    "openai-beta": re.compile(r"[A-Za-z0-9_=.,: -]{1,128}"),
    "anthropic-version": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
    "anthropic-beta": re.compile(r"[A-Za-z0-9._-]{1,64}( *, *[A-Za-z0-9._-]{1,64}){0,31}"),
}
# SDK version and retry telemetry (`x-stainless-os: Linux`, `x-stainless-retry-count: 0`).
_STAINLESS_NAME = re.compile(r"x-stainless-[a-z0-9-]{1,40}")
_STAINLESS_VALUE = re.compile(r"[\x20-\x7e]{0,128}")
_CLIENT_AUTH_HEADERS = ("Authorization", "x-api-key", "api-key")

# Response headers relayed to the app: the SDKs' retry decisions depend on `x-should-retry`,
# `retry-after-ms` and `retry-after` (dropped, the openai SDK retried 3 times through Voile
# where it made 1 call direct), and rate-limit headers tell an app how to pace itself.
_RESPONSE_HEADERS = frozenset(
    {
        "content-type",
        "retry-after",
        "retry-after-ms",
        "x-should-retry",
        "x-request-id",
        "request-id",
        "openai-processing-ms",
        "openai-version",
        "openai-organization",
        "openai-project",
    }
)
_RESPONSE_PREFIXES = ("x-ratelimit-", "anthropic-ratelimit-")


def request_headers(
    client: CIMultiDictProxy[str], provider: ProviderSettings, app: AppIdentity
) -> CIMultiDict[str]:
    headers: CIMultiDict[str] = CIMultiDict()
    for name, value in client.items():
        lower = name.lower()
        grammar = _REQUEST_HEADERS.get(lower)
        if grammar is None and lower.startswith("x-stainless-"):
            if not _STAINLESS_NAME.fullmatch(lower):
                continue  # an unknown telemetry header: not forwarded
            grammar = _STAINLESS_VALUE
        if grammar is None:
            continue
        if not grammar.fullmatch(value):
            raise InvalidHeader(
                f"Header '{lower}' has a value outside its grammar; Voile does not forward it.",
                param=lower,
            )
        headers[name] = value  # one value per header: repeated ones are not merged
    headers["Accept-Encoding"] = "gzip, deflate"
    provider_key = provider.api_key()
    if provider_key:
        headers.update(FORMATS[provider.format].auth_headers(provider_key))
    elif app.forward_client_auth:
        # The anonymous app's callers hold the provider key themselves.
        for name in _CLIENT_AUTH_HEADERS:
            if name in client:
                headers[name] = client[name]
    return headers


def response_headers(upstream: Mapping[str, str]) -> CIMultiDict[str]:
    headers: CIMultiDict[str] = CIMultiDict()
    for name, value in upstream.items():
        lower = name.lower()
        if lower in _RESPONSE_HEADERS or lower.startswith(_RESPONSE_PREFIXES):
            headers.add(name, value)
    return headers


def client_timeout(provider: ProviderSettings) -> aiohttp.ClientTimeout:
    """No total limit (a long stream is fine) but a limit on silence between bytes."""
    return aiohttp.ClientTimeout(
        total=None, connect=provider.connect_timeout_seconds, sock_read=provider.timeout_seconds
    )


def translate_failure(provider_name: str, exc: BaseException) -> VoileError:
    """aiohttp's failures as our errors; messages name the provider, not the URL's secrets."""
    if isinstance(exc, asyncio.TimeoutError | aiohttp.ServerTimeoutError):
        return UpstreamTimeout(f"Provider '{provider_name}' did not answer in time.")
    return UpstreamUnreachable(f"Provider '{provider_name}' could not be reached.")
