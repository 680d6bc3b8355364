"""Talking to the provider: which headers cross the proxy, and how failures are named.

Request headers are an allow-list: cookies, forwarding headers and anything unknown stay
inside, because they can identify the end user. Provider keys are injected here and only here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

import aiohttp
from multidict import CIMultiDict, CIMultiDictProxy

from proxy.apps import AppIdentity
from proxy.config import ProviderSettings
from proxy.errors import UpstreamTimeout, UpstreamUnreachable, VoileError
from proxy.formats import FORMATS

_REQUEST_HEADERS = frozenset({
    "accept", "content-type", "user-agent", "idempotency-key", "openai-organization",
    "openai-project", "openai-beta", "anthropic-version", "anthropic-beta",
})
_REQUEST_PREFIXES = ("x-stainless-",)  # SDK version and retry telemetry, no user data
_CLIENT_AUTH_HEADERS = ("Authorization", "x-api-key", "api-key")

_RESPONSE_HEADERS = frozenset({
    "content-type", "retry-after", "x-request-id", "request-id", "openai-processing-ms",
    "openai-version", "openai-organization", "openai-project",
})
_RESPONSE_PREFIXES = ("x-ratelimit-", "anthropic-ratelimit-")


def request_headers(
    client: CIMultiDictProxy[str], provider: ProviderSettings, app: AppIdentity
) -> CIMultiDict[str]:
    headers: CIMultiDict[str] = CIMultiDict()
    for name, value in client.items():
        lower = name.lower()
        if lower in _REQUEST_HEADERS or lower.startswith(_REQUEST_PREFIXES):
            headers.add(name, value)
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
