"""Azure OpenAI: OpenAI's bodies, errors and streams under Azure's paths and key header.

Azure serves the same endpoints under `/openai/deployments/{deployment}/…?api-version=…`
(and, for its newer v1 API, `/openai/v1/…`), and takes its key in an `api-key` header. So the
format only translates the path to its OpenAI twin and delegates: every endpoint the OpenAI
format relays is relayed for Azure with the same coverage. The query string (`api-version`)
is forwarded unchanged by the relay.
"""

from __future__ import annotations

import re

from proxy.errors import NotFound
from proxy.formats.base import Endpoint, PassThrough
from proxy.formats.openai import OpenAIFormat

_DEPLOYMENT = re.compile(r"^/openai/deployments/[^/]+(/.+)$")
_V1 = re.compile(r"^/openai(/v1/.+)$")


class AzureOpenAIFormat(OpenAIFormat):
    name = "azure"

    def route(self, method: str, path: str) -> Endpoint | PassThrough:
        match = _DEPLOYMENT.match(path)
        if match:
            return super().route(method, "/v1" + match.group(1))
        match = _V1.match(path)
        if match:
            return super().route(method, match.group(1))
        if path == "/openai/models" or path.startswith("/openai/models/"):
            return super().route(method, "/v1" + path.removeprefix("/openai"))
        raise NotFound(f"Voile does not relay {method} {path} for Azure OpenAI (yet).")

    def auth_headers(self, provider_key: str) -> dict[str, str]:
        return {"api-key": provider_key}
