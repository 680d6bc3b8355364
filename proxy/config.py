"""The one YAML file that describes a Voile deployment, validated before anything starts.

Secrets never live in the file itself unless the operator insists: provider keys are read from
environment variables named in the file, and app keys may be too. Errors name the key and the
line (see `proxy.yamlfile`). When no file is given, `default_config()` is the embedded setup of
the quick start: SQLite audit, bundled policies, keys generated in the data directory.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
from pathlib import Path
from typing import Annotated, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from proxy.detection.settings import DetectionSettings
from proxy.formats import FORMATS
from proxy.forwarded import Network
from proxy.yamlfile import ConfigError, load_model_file


def _bundled_policies() -> Path:
    """The policies shipped with Voile: the installed `voile_policies` package (a wheel, or
    the checkout's `policies/` under an editable install), else the checkout's directory."""
    try:
        import voile_policies  # noqa: PLC0415 - package data, located at import time
    except ImportError:
        return Path(__file__).resolve().parent.parent / "policies"
    return Path(voile_policies.__file__).resolve().parent


BUNDLED_POLICIES = _bundled_policies()


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _known_format(name: str) -> str:
    """A wire format's name, as the format registry (`proxy.formats.FORMATS`) lists them:
    the registry is the one list, so a format added there is a valid `format` here."""
    if name not in FORMATS:
        raise ValueError(f"{name!r} is not one of {', '.join(FORMATS)}")
    return name


FormatName = Annotated[str, AfterValidator(_known_format)]


class ListenSettings(_Frozen):
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=0, le=65535)] = 8080


class AdminListenSettings(ListenSettings):
    port: Annotated[int, Field(ge=0, le=65535)] = 8081


ConsoleRole = Literal["reviewer", "security_admin", "viewer"]
ConsoleName = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")]


class ConsoleAccount(_Frozen):
    """Someone who signs in to the console with a password. Only its argon2 hash is kept
    (`voile admin hash-password` prints one), inline or in an environment variable."""

    name: ConsoleName
    role: ConsoleRole
    password_hash: SecretStr | None = None
    password_hash_env: str | None = None

    @model_validator(mode="after")
    def _exactly_one_hash_source(self) -> Self:
        if (self.password_hash is None) == (self.password_hash_env is None):
            raise ValueError("give exactly one of password_hash or password_hash_env")
        if self.password_hash is not None and not self.password_hash.get_secret_value().startswith(
            "$argon2"
        ):
            raise ValueError(
                "password_hash must be an argon2 hash ($argon2id$…): `voile admin "
                "hash-password` prints one"
            )
        return self

    def hash_text(self) -> str:
        if self.password_hash is not None:
            return self.password_hash.get_secret_value()
        value = os.environ.get(self.password_hash_env or "")
        if not value:
            raise ConfigError(
                f"admin.console.accounts {self.name}: environment variable "
                f"{self.password_hash_env} is not set"
            )
        return value


class ConsoleToken(_Frozen):
    """A token that signs in (or calls the console as `Authorization: Bearer`), for a
    service account or single sign-on in front of Voile. Only its SHA-256 is compared."""

    name: ConsoleName
    role: ConsoleRole
    token_env: str

    def digest(self) -> bytes:
        value = os.environ.get(self.token_env)
        if not value:
            raise ConfigError(
                f"admin.console.tokens {self.name}: environment variable {self.token_env} "
                "is not set"
            )
        return hashlib.sha256(value.encode()).digest()


class ConsoleSettings(_Frozen):
    """The compliance console on the admin listener (`proxy.console`)."""

    accounts: tuple[ConsoleAccount, ...] = ()
    tokens: tuple[ConsoleToken, ...] = ()
    session_key_env: str | None = Field(
        default=None,
        description="Environment variable with the secret that signs sessions (hex or any "
        "text of 32+ characters); replicas behind one address must share it. Default: "
        "data_dir/keys/console-session.key, created on first run.",
    )
    session_minutes: Annotated[int, Field(ge=5, le=24 * 60)] = 480
    secure_cookies: bool = Field(
        default=True,
        description="Cookies only over HTTPS (browsers also send them to http://localhost). "
        "Turn off only for a console reached over plain HTTP on a trusted network.",
    )
    sign_in_failures_per_minute: Annotated[int, Field(ge=1)] = Field(
        default=5,
        description="Failed sign-ins allowed per client address and per account name "
        "before 429, refilled over a minute.",
    )

    @model_validator(mode="after")
    def _someone_can_sign_in(self) -> Self:
        names = [a.name for a in self.accounts] + [t.name for t in self.tokens]
        if not names:
            raise ValueError("no accounts and no tokens: nobody could sign in")
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"account and token names must be unique: {', '.join(duplicates)}")
        return self


class AdminSettings(_Frozen):
    """The operators' listener: `/metrics`, `/livez`, `/readyz`, and the console if
    configured. Off unless `listen` is given; never the proxy's port, which every app can
    reach."""

    listen: AdminListenSettings | None = Field(
        default=None,
        description="Where the admin listener binds (host default 127.0.0.1, port default "
        "8081); unset: no admin listener. Its port must differ from listen.port.",
    )
    console: ConsoleSettings | None = None

    @model_validator(mode="after")
    def _console_needs_the_listener(self) -> Self:
        if self.console is not None and self.listen is None:
            raise ValueError("console: needs admin.listen (the console is served there only)")
        return self


class ProviderSettings(_Frozen):
    base_url: str = Field(
        description="The provider's origin (plus an optional path prefix). A request to "
        "/{provider}/REST is forwarded to base_url + /REST, so /openai/v1/chat/completions "
        "goes to https://api.openai.com/v1/chat/completions."
    )
    format: FormatName = "openai"
    api_key_env: str | None = Field(
        default=None,
        description="Environment variable holding the provider key the proxy injects. "
        "Without it, the client's Authorization header passes through (anonymous app only).",
    )
    region: str | None = Field(default=None, description="Jurisdiction tag: eu, us, cn, local…")
    pass_fields: tuple[str, ...] = Field(
        default=(),
        description="Top-level request fields this provider accepts beyond its format's own "
        "and that carry no user text (Mistral's safe_prompt, vLLM's top_k…): forwarded as is "
        "instead of refused. Never list a field that can hold personal data.",
    )
    timeout_seconds: Annotated[float, Field(gt=0)] = 600.0
    connect_timeout_seconds: Annotated[float, Field(gt=0)] = 10.0

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        if any(char in value for char in "?#") or "@" in value.split("/")[2]:
            raise ValueError(
                "must be an origin plus an optional path prefix: no query, "
                "fragment or user info (keys go in api_key_env)"
            )
        return value.rstrip("/")

    def api_key(self) -> str | None:
        return os.environ.get(self.api_key_env) if self.api_key_env else None


class AppSettings(_Frozen):
    name: Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")]
    policy: str = "default"
    key: SecretStr | None = Field(default=None, description="The app's key, inline (discouraged).")
    key_env: str | None = Field(default=None, description="Environment variable with the key.")

    @model_validator(mode="after")
    def _exactly_one_key_source(self) -> Self:
        if (self.key is None) == (self.key_env is None):
            raise ValueError("give exactly one of key or key_env")
        return self

    def key_digest(self) -> bytes:
        """SHA-256 of the key: apps are looked up by digest, so the comparison time does not
        depend on how many leading characters of a guessed key are right."""
        secret = self.key.get_secret_value() if self.key else os.environ.get(self.key_env or "")
        if not secret:
            raise ConfigError(f"app {self.name}: environment variable {self.key_env} is not set")
        return hashlib.sha256(secret.encode()).digest()


class AnonymousApp(_Frozen):
    """Requests whose key matches no app are served under this name and policy, and their
    Authorization header goes to the provider unchanged. Meant for the quick start and for
    trusted networks; leave it out in production so unknown keys get 401."""

    name: str = "anonymous"
    policy: str = "default"


class AuditSettings(_Frozen):
    """The audit trail: where it is stored, the keys that protect it, where checkpoints go."""

    url: str | None = Field(
        default=None, description="sqlite:///path or postgresql://…; default: data_dir/audit.db"
    )
    key_file: Path | None = Field(
        default=None,
        description="Key-encryption keys (KEKs) that wrap the audit data keys; "
        "default: data_dir/keys/audit-keys.json, created on first run.",
    )
    key_env: str | None = Field(
        default=None,
        description="Environment variable with the KEK instead: a base64 "
        "AES-256 key, or a key file's JSON (to rotate keys kept in a secret manager).",
    )
    timeout_seconds: Annotated[float, Field(gt=0)] = Field(
        default=5.0,
        description="An entry not committed in this time refuses the request "
        "(before forwarding) or withholds its answer (after): 503 audit_unavailable.",
    )
    data_key_period: Literal["month", "day"] = Field(
        default="month",
        description="How often payload data keys change (and the unit in "
        "which a purge can destroy them).",
    )
    signing_key_file: Path | None = Field(
        default=None,
        description="Ed25519 key that signs checkpoints; default: "
        "data_dir/keys/audit-signing.json, created on first run.",
    )
    checkpoint_dir: Path | None = Field(
        default=None,
        description="Where signed checkpoints are written; default: "
        "data_dir/checkpoints. Put it where the database's administrators cannot write.",
    )
    checkpoint_every_records: Annotated[int, Field(ge=1)] = 1000
    checkpoint_every_seconds: Annotated[float, Field(gt=0)] = 60.0
    end_user_header: str = Field(
        default="x-voile-end-user",
        description="Request header naming the app's end user "
        "(else OpenAI's safety_identifier or user field); only a keyed hash is stored.",
    )
    max_batch: Annotated[int, Field(ge=1, le=10_000)] = 128


class ConversationSettings(_Frozen):
    """Where placeholders of provider-held conversations are kept (see proxy/conversations.py)."""

    url: str | None = Field(
        default=None,
        description="sqlite:///path, postgresql://… or redis://…; "
        "default: data_dir/conversations.db",
    )
    ttl_seconds: Annotated[float, Field(gt=0)] = Field(
        default=30 * 24 * 3600,
        description="How long a conversation's placeholders can still be restored (OpenAI "
        "keeps stored responses 30 days).",
    )


class EmbeddingSettings(_Frozen):
    """Token-id inputs of embeddings (LangChain's OpenAIEmbeddings sends them by default):
    decoded with the model's tiktoken encoding, scanned, masked, encoded back
    (proxy/formats/tokens.py). Without encoding files they are refused."""

    tiktoken_dir: Path | None = Field(
        default=None,
        description="Directory holding OpenAI's tiktoken encoding files "
        "(cl100k_base.tiktoken, o200k_base.tiktoken…, or a TIKTOKEN_CACHE_DIR); each must "
        "have the SHA-256 tiktoken expects. Nothing is downloaded. Unset: token-id inputs are "
        "refused (400 unscannable_content).",
    )
    model_encodings: dict[str, str] = Field(
        default_factory=dict,
        description="Model names tiktoken does not know (Azure "
        "deployments, compatible servers) and the encoding their token ids are in, e.g. "
        "{my-embedder: cl100k_base}.",
    )


class LimitSettings(_Frozen):
    max_body_bytes: Annotated[int, Field(gt=0)] = 8 * 1024 * 1024
    max_texts: Annotated[int, Field(gt=0)] = 10_000
    max_text_chars: Annotated[int, Field(gt=0)] = Field(
        default=100_000,
        description="Characters of text a request may carry, all its text "
        "fields together (413 beyond): bounds its detection, about 3 s of one worker (raise "
        "detection.timeout_seconds with it).",
    )
    max_json_depth: Annotated[int, Field(gt=0, le=256)] = 64  # body nesting; see proxy.body
    max_answer_bytes: Annotated[int, Field(gt=0)] = Field(
        default=48 * 1024 * 1024,
        description="Bytes of a provider's whole (non-streamed) "
        "answer, decompressed, that Voile reads (502 upstream_answer_too_large beyond: reading "
        "stops there). Also bounds one SSE event (at most 16 MiB). The default holds the "
        "largest answer the APIs give, 2,048 base64 embeddings of 3,072 dimensions (34 MB), "
        "with room to spare; each MiB allowed costs up to 10 MiB of memory while an answer is "
        "restored, and up to 50 ms of event-loop stall for answers of many small JSON objects.",
    )
    unauthenticated_per_minute: Annotated[int, Field(ge=0)] = Field(
        default=60,
        description="Requests refused before an app is identified (no or wrong "
        "key, unknown provider) allowed per client address and minute before 429; 0: no limit.",
    )
    shared_url: str | None = Field(
        default=None,
        description="redis://… (or rediss://, unix://): the unauthenticated limit's counters "
        "live there, shared by every replica, so N replicas allow the budget once, not N "
        "times. Unset: each process counts alone. If Redis cannot answer, each replica counts "
        "alone until it can (proxy/gate.py).",
    )
    trusted_proxies: tuple[Network, ...] = Field(
        default=(),
        description="CIDRs of the load balancers in front of Voile (10.0.0.0/8, "
        "fd00::/8; a bare address is one host). Only when the TCP peer is in one is the "
        "client address taken from X-Forwarded-For: the right-most entry that is not itself "
        "a trusted proxy (proxy/forwarded.py). Empty: the header is never read.",
    )

    @field_validator("shared_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must be a Redis URL: redis://, rediss:// or unix://")
        return value

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _networks(cls, value: object) -> object:
        """Strict CIDRs: `10.0.0.1/8` is refused rather than silently read as 10.0.0.0/8,
        since trusting more addresses than meant lets their callers pick their address."""
        if not isinstance(value, list | tuple):
            return value
        networks = []
        for item in value:
            if not isinstance(item, str):
                raise ValueError(f"{item!r} is not a CIDR string such as 10.0.0.0/8")
            try:
                networks.append(ipaddress.ip_network(item.strip(), strict=True))
            except ValueError as exc:
                raise ValueError(f"{item!r} is not a network such as 10.0.0.0/8: {exc}") from None
        return tuple(networks)


class PolicyReloadSettings(_Frozen):
    """How a running proxy picks up changed policies (`proxy.reload`); SIGHUP always does."""

    watch: bool = Field(
        default=True,
        description="Reload when a file under policies_dir changes (inotify, or polling).",
    )
    force_polling: bool = Field(
        default=False,
        description="Watch by polling instead of change events: for network file systems "
        "whose changes made on another host raise no event.",
    )
    debounce_ms: Annotated[int, Field(ge=50, le=60_000)] = Field(
        default=500,
        description="Changes that come this close together are one reload (an editor or a "
        "deploy writing several files).",
    )
    check_seconds: Annotated[float, Field(ge=0)] = Field(
        default=30.0,
        description="Also re-read the directory's hashes this often and reload if they "
        "changed (replicas sharing a directory converge even if an event is lost); 0: never.",
    )


class TraceSettings(_Frozen):
    """OpenTelemetry traces of proxied requests (`proxy.tracing`): off by default; needs the
    `otel` extra (`pip install 'voile[otel]'`)."""

    enabled: bool = False
    exporter: Literal["otlp", "console"] = Field(
        default="otlp",
        description="otlp: OTLP over HTTP/protobuf to `endpoint`; console: one JSON line per "
        "span on stderr (to try it out).",
    )
    endpoint: str | None = Field(
        default=None,
        description="The collector's traces URL (http://collector:4318/v1/traces); unset: "
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, else http://localhost:4318/v1/traces. A "
        "backend's API key goes in OTEL_EXPORTER_OTLP_HEADERS, not here.",
    )
    service_name: Annotated[str, Field(min_length=1, max_length=128)] = "voile"
    sample_ratio: Annotated[float, Field(ge=0, le=1)] = Field(
        default=1.0,
        description="Share of new traces kept; a request with a traceparent follows its "
        "caller's decision.",
    )

    @field_validator("endpoint")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL (OTLP over HTTP)")
        return value


class TelemetrySettings(_Frozen):
    traces: TraceSettings = TraceSettings()


class Config(_Frozen):
    listen: ListenSettings = ListenSettings()
    admin: AdminSettings = AdminSettings()
    data_dir: Path = Path("voile-data")
    policies_dir: Path = BUNDLED_POLICIES
    policy_reload: PolicyReloadSettings = PolicyReloadSettings()
    providers: dict[str, ProviderSettings]
    apps: tuple[AppSettings, ...] = ()
    anonymous_app: AnonymousApp | None = None
    audit: AuditSettings = AuditSettings()
    conversations: ConversationSettings = ConversationSettings()
    detection: DetectionSettings = DetectionSettings()
    embeddings: EmbeddingSettings = EmbeddingSettings()
    limits: LimitSettings = LimitSettings()
    telemetry: TelemetrySettings = TelemetrySettings()
    log_level: str = "info"

    @field_validator("providers")
    @classmethod
    def _provider_names_are_path_segments(
        cls, value: dict[str, ProviderSettings]
    ) -> dict[str, ProviderSettings]:
        if not value:
            raise ValueError("at least one provider is required")
        for name in value:
            if not name or "/" in name or name.startswith((".", "_")):
                raise ValueError(f"{name!r} cannot be used as a URL path segment")
        return value

    @field_validator("admin")
    @classmethod
    def _admin_is_not_the_proxy_port(
        cls, value: AdminSettings, info: ValidationInfo
    ) -> AdminSettings:
        listen = info.data.get("listen")
        if value.listen is not None and isinstance(listen, ListenSettings):
            check_admin_port(listen.port, value.listen.port)
        return value

    @field_validator("detection", mode="before")
    @classmethod
    def _language_maps_extend_the_defaults(cls, value: object) -> object:
        """`detection.models` and `detection.phone_regions` written in the file change the
        languages they name; the other languages keep their defaults. `fr: null` makes French
        patterns-only instead of dropping it, so the bundled policies (en, fr, de, es, it)
        still validate against a config that only names its own models. (Settings built in
        code, like those sent to the workers, are taken as given.)"""
        if not isinstance(value, dict):
            return value
        merged = dict(value)
        for name in ("models", "phone_regions"):
            given = value.get(name)
            if isinstance(given, dict):
                field = DetectionSettings.model_fields[name]
                merged[name] = {**field.get_default(call_default_factory=True), **given}
        return merged

    @field_validator("apps")
    @classmethod
    def _unique_app_names(cls, value: tuple[AppSettings, ...]) -> tuple[AppSettings, ...]:
        names = [app.name for app in value]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"app names must be unique: {', '.join(duplicates)}")
        return value

    @model_validator(mode="after")
    def _someone_can_call(self) -> Self:
        if not self.apps and self.anonymous_app is None:
            raise ValueError("no apps and no anonymous_app: nobody could use the proxy")
        return self

    def resolve(self, base: Path) -> Config:
        """Relative paths are relative to the config file's directory, not the CWD."""

        def rebase(path: Path) -> Path:
            return path if path.is_absolute() else (base / path).resolve()

        audit = self.audit.model_copy(
            update={
                name: rebase(path)
                for name in ("key_file", "signing_key_file", "checkpoint_dir")
                if (path := getattr(self.audit, name)) is not None
            }
        )
        embeddings = (
            self.embeddings.model_copy(
                update={"tiktoken_dir": rebase(self.embeddings.tiktoken_dir)}
            )
            if self.embeddings.tiktoken_dir is not None
            else self.embeddings
        )
        return self.model_copy(
            update={
                "data_dir": rebase(self.data_dir),
                "policies_dir": rebase(self.policies_dir),
                "audit": audit,
                "embeddings": embeddings,
            }
        )

    @property
    def audit_url(self) -> str:
        return self.audit.url or f"sqlite:///{self.data_dir / 'audit.db'}"

    @property
    def conversations_url(self) -> str:
        return self.conversations.url or f"sqlite:///{self.data_dir / 'conversations.db'}"

    @property
    def audit_key_file(self) -> Path:
        return self.audit.key_file or self.data_dir / "keys" / "audit-keys.json"

    @property
    def audit_signing_key_file(self) -> Path:
        return self.audit.signing_key_file or self.data_dir / "keys" / "audit-signing.json"

    @property
    def audit_checkpoint_dir(self) -> Path:
        return self.audit.checkpoint_dir or self.data_dir / "checkpoints"


def check_admin_port(proxy_port: int, admin_port: int) -> None:
    """The admin listener never shares the proxy's port, whatever the hosts: every app can
    reach the proxy's port, and the operators' endpoints are not for them. (0 asks the
    system for a free port, a different one each time.)"""
    if admin_port and admin_port == proxy_port:
        raise ValueError(
            f"admin.listen.port {admin_port} is the proxy's port (listen.port): the admin "
            "listener needs a port of its own"
        )


def default_config() -> Config:
    """The embedded quick-start setup: OpenAI upstream, the client's own key passes through."""
    return Config(
        providers={"openai": ProviderSettings(base_url="https://api.openai.com")},
        anonymous_app=AnonymousApp(name="default", policy="default"),
    ).resolve(Path.cwd())


def load_config(path: Path) -> Config:
    return load_model_file(Config, path).resolve(path.resolve().parent)
