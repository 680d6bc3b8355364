"""Which app is calling: app keys in, app name and policy out.

App keys are compared by SHA-256 digest in a dict, so lookup time does not reveal how much of
a guessed key is right, and the keys themselves are not kept in memory after start-up. An app
key is never forwarded to a provider.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from multidict import CIMultiDictProxy

from proxy.config import Config
from proxy.errors import AuthenticationFailed
from proxy.policy import Policy, enforced_and_shadow
from proxy.yamlfile import ConfigError


@dataclass(frozen=True)
class AppIdentity:
    name: str
    policy: Policy  # what the app's requests run under
    forward_client_auth: bool  # only for the anonymous app: the client's key is the provider's
    # Computed beside `policy` and audited, never enforced (`mode: shadow`, `proxy.shadow`).
    shadow: Policy | None = None


def presented_key(headers: CIMultiDictProxy[str]) -> str | None:
    """The key a client sent, the way each provider's SDK sends it."""
    authorization = headers.get("Authorization", "")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    for name in ("x-api-key", "api-key"):  # Anthropic SDKs; Azure OpenAI SDKs
        api_key = headers.get(name, "").strip()
        if api_key:
            return api_key
    return None


class AppDirectory:
    def __init__(self, config: Config, policies: Mapping[str, Policy]) -> None:
        def identity(owner: str, name: str, policy: str, forward: bool) -> AppIdentity:
            if policy not in policies:
                raise ConfigError(
                    f"{owner}: policy {policy!r} not found in {config.policies_dir} "
                    f"(available: {', '.join(sorted(policies))})"
                )
            enforced, shadow = enforced_and_shadow(policies[policy], policies)
            return AppIdentity(name, enforced, forward, shadow)

        self._by_digest = {
            app.key_digest(): identity(f"app {app.name}", app.name, app.policy, False)
            for app in config.apps
        }
        if len(self._by_digest) != len(config.apps):
            raise ConfigError("two apps share the same key")
        anonymous = config.anonymous_app
        self._anonymous = (
            identity("anonymous_app", anonymous.name, anonymous.policy, True) if anonymous else None
        )

    def identify(self, headers: CIMultiDictProxy[str]) -> AppIdentity:
        key = presented_key(headers)
        if key is not None:
            app = self._by_digest.get(hashlib.sha256(key.encode()).digest())
            if app is not None:
                return app
        if self._anonymous is not None:
            return self._anonymous
        raise AuthenticationFailed(
            "Missing app key." if key is None else "Incorrect app key provided."
        )
