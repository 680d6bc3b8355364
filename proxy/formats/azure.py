"""Azure OpenAI: OpenAI's bodies, errors and streams under Azure's paths and key header.

Azure serves the same endpoints under `/openai/deployments/{deployment}/…?api-version=…`
(and, for its newer v1 API, `/openai/v1/…`), and takes its key in an `api-key` header. So the
format only translates the path to its OpenAI twin and delegates: every endpoint the OpenAI
format relays is relayed for Azure with the same coverage, stored responses, conversations and
stored chat completions included. The query string takes `api-version` and the parameters of
the OpenAI twin (pagination, `include[]`), each in its grammar.
"""

from __future__ import annotations

from proxy.errors import NotFound
from proxy.formats.openai import OpenAIFormat
from proxy.paths import API_VERSION, Route

# Azure takes its API version in the query, beside the twin route's own parameters.
_AZURE_QUERY = {"api-version": API_VERSION}


class AzureOpenAIFormat(OpenAIFormat):
    name = "azure"

    def route(self, method: str, segments: tuple[str, ...]) -> Route:
        """Azure's paths, each mapped to its OpenAI twin for the endpoint; the upstream path
        is the caller's validated segments (Azure's own layout), the template names the
        deployment only as `{deployment}`."""
        match segments:
            case ("openai", "deployments", _deployment, *rest) if rest:
                twin = super().route(method, ("v1", *rest))
                template = "/openai/deployments/{deployment}" + twin.template.removeprefix("/v1")
            case ("openai", "v1", *rest) if rest:
                twin = super().route(method, ("v1", *rest))
                template = "/openai" + twin.template
            case ("openai", "models", *rest):
                twin = super().route(method, ("v1", "models", *rest))
                template = "/openai" + twin.template.removeprefix("/v1")
            case _:
                raise NotFound(
                    f"Voile does not relay {method} on this path for Azure OpenAI (yet)."
                )
        return Route(
            twin.endpoint, template, segments, {**twin.query, **_AZURE_QUERY}, model=twin.model
        )

    def auth_headers(self, provider_key: str) -> dict[str, str]:
        return {"api-key": provider_key}
