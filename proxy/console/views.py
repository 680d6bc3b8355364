"""The console's pages, server-rendered (Jinja2 through `aiohttp-jinja2`), on the admin
listener under `/console/`.

1. Every page is in `ROUTES`, with the permission it needs, and is registered from there
   only, wrapped by `guarded`: a page cannot be added without saying who may see it, and
   only the sign-in form and its POST are public (`PUBLIC`). A test walks the router and the
   table, and calls each page as nobody and as each role.
2. Unauthenticated: a GET is sent to the sign-in form, anything else gets 401. A POST with a
   session cookie must carry the session's CSRF token. Every answer is `no-store`, framed by
   nobody, under a CSP that allows no script at all.
3. The trail is read off the event loop (`asyncio.to_thread`); a payload is decrypted only by
   `AuditStore.review`, which commits the access entry (who, why) first; a failed or
   successful sign-in is an entry too (`sign_in`), and so is a sign-out (`sign_out`), which
   every process sharing the trail reads (`SignOuts`) before it trusts a session cookie.
   The dashboard counts clear columns only, in SQL (`AuditStore.tally`, `proxy.console.dashboard`).
   The policies' page shows the running `PolicySet` and the trail's `policy_change` entries;
   its `policy test` form runs `proxy.policytools.run_trial`, as `voile policy test` does,
   and the text tried is shown to who typed it, never logged nor written to the trail.
4. What comes from records and clients (a model name, an app's name) is escaped by Jinja2
   and, like the CLI, has control and bidirectional characters made visible (`printable`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import io
import json
import re
import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

import aiohttp_jinja2
import jinja2
from aiohttp import web

from audit.checkpoints import DirectorySink, PublicKeys, SigningKeys
from audit.cli import MAX_REASON, printable, report_month, verify_trail
from audit.columns import SHOWN_COLUMNS
from audit.errors import AuditError, AuditKeyError
from audit.events import Decision, Entry, EntryKind
from audit.review import RecordFilter
from audit.store import AuditStore
from proxy.config import Config, ConsoleSettings
from proxy.console.auth import (
    SESSION_COOKIE,
    SIGN_IN_COOKIE,
    Directory,
    Identity,
    Permission,
    Sessions,
    SignInLimiter,
    session_key,
)
from proxy.console.dashboard import (
    DEFAULT_PERIOD,
    PERIODS,
    Figures,
    Period,
    charts_of,
    summarise,
)
from proxy.console.i18n import choose, translator
from proxy.errors import AuditUnavailable
from proxy.logging import get_logger
from proxy.metrics import Metrics
from proxy.policytools import Trial, run_trial, target_for
from proxy.relay import Services

log = get_logger("voile.console")

PAGE = 50
POLICY_HISTORY = 50
MAX_TRIAL_TEXT = 20_000
ENTITY = re.compile(r"^[A-Z][A-Z0-9_]{0,39}$")
NAME = re.compile(r"^[A-Za-z0-9_.:/@+-]{1,200}$")  # apps, providers, regions, models
MONTH = re.compile(r"^\d{4}-\d{2}$")
SEQ = re.compile(r"\d{1,18}")  # an entry's number, as in the record pages' route
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


@dataclass
class Verification:
    """The last verification of the chain run from this process's console, and the one
    running (at most one at a time)."""

    running: asyncio.Task[None] | None = None
    started_by: str | None = None
    finished_at: datetime | None = None
    ok: bool | None = None
    report: str = ""


@dataclass
class SignOuts:
    """The sign-outs every process sharing the trail wrote (`sign_out` entries), learnt
    before a session cookie is trusted: one query for those past the last entry seen."""

    after: int = 0
    lock: asyncio.Lock = dataclasses.field(default_factory=asyncio.Lock)

    async def learn(self, sessions: Sessions, store: AuditStore, within_s: float) -> bool:
        """False if the trail cannot be read now: no session is trusted then."""

        def read(after: int) -> tuple[int, list[Any]]:
            head = store.head()
            since = datetime.now(UTC) - timedelta(seconds=sessions.lifetime)
            found = store.entries_after(EntryKind.SIGN_OUT, after=after, since=since)
            return (head[1] if head else 0), found

        async with self.lock:
            try:
                last, found = await asyncio.wait_for(asyncio.to_thread(read, self.after), within_s)
            except (AuditError, TimeoutError) as exc:
                log.error("console_sign_outs_unread", error_type=type(exc).__name__)
                return False
            for entry in found:
                revocation, until = entry.details.get("session"), entry.details.get("until")
                if isinstance(revocation, str) and isinstance(until, int):
                    sessions.revoked(revocation, until)
            self.after = max([last, *(entry.seq for entry in found)])
        return True


@dataclass
class Console:
    """What the pages need: the settings, who may sign in, and the proxy whose trail they
    read (its services exist once the proxy has started)."""

    settings: ConsoleSettings
    directory: Directory
    sessions: Sessions
    limiter: SignInLimiter
    services_of: Callable[[], Services | None]
    metrics: Metrics
    verification: Verification = dataclasses.field(default_factory=Verification)
    sign_outs: SignOuts = dataclasses.field(default_factory=SignOuts)

    @property
    def services(self) -> Services:
        services = self.services_of()
        if services is None:
            raise web.HTTPServiceUnavailable(text="starting")
        return services

    @property
    def store(self) -> AuditStore:
        return self.services.audit.store


CONSOLE = web.AppKey("console", Console)
LANGUAGE = web.RequestKey("voile_lang", str)

Handler = Callable[[web.Request, Identity], Awaitable[web.StreamResponse]]
PublicHandler = Callable[[web.Request, Identity | None], Awaitable[web.StreamResponse]]
PUBLIC: Literal["public"] = "public"


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    name: str
    handler: Handler | PublicHandler
    permission: Permission | Literal["public"]


def render(
    request: web.Request,
    template: str,
    identity: Identity | None,
    status: int = 200,
    **context: Any,
) -> web.Response:
    console = request.app[CONSOLE]
    language = request[LANGUAGE]
    return aiohttp_jinja2.render_template(
        template,
        request,
        {
            "t": translator(language),
            "lang": language,
            "identity": identity,
            "csrf": console.sessions.csrf_token(identity) if identity else "",
            "may_decrypt": bool(identity and identity.may(Permission.DECRYPT)),
            "path": request.path,
            **context,
        },
        status=status,
    )


def guarded(route: Route) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """`route`'s handler behind authentication, its permission and CSRF."""

    async def handle(request: web.Request) -> web.StreamResponse:
        console = request.app[CONSOLE]
        query_language = request.query.get("lang")
        request[LANGUAGE] = choose(
            query_language,
            request.cookies.get("voile_lang"),
            request.headers.get("Accept-Language", ""),
        )
        identity = await authenticate(request, console)
        response: web.StreamResponse
        if route.permission == PUBLIC:
            public: PublicHandler = route.handler  # type: ignore[assignment]
            response = await public(request, identity)
        elif identity is None:
            response = (
                see_other("/console/sign-in")
                if request.method == "GET"
                else render(request, "error.html", None, 401, message="sign_in")
            )
        elif not identity.may(route.permission):
            response = render(request, "error.html", identity, 403, message="forbidden")
        elif request.method == "POST" and not console.sessions.csrf_ok(
            identity, _text((await request.post()).get("csrf"))
        ):
            response = render(request, "error.html", identity, 403, message="form_expired")
        else:
            handler: Handler = route.handler
            response = await handler(request, identity)
        response.headers.update(SECURITY_HEADERS)
        if query_language is not None and query_language == request[LANGUAGE]:
            response.set_cookie(
                "voile_lang", query_language, path="/console", samesite="Strict", max_age=31536000
            )
        return response

    return handle


def see_other(location: str) -> web.Response:
    return web.Response(status=303, headers={"Location": location})


async def authenticate(request: web.Request, console: Console) -> Identity | None:
    """A bearer token, else the session cookie, once the sign-outs of every process are
    known (none is trusted while they cannot be read)."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return console.directory.check_token(token.strip())
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    services = console.services_of()
    if services is None or not await console.sign_outs.learn(
        console.sessions, services.audit.store, services.config.audit.timeout_seconds
    ):
        return None
    return console.sessions.read(cookie)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _cookie_flags(console: Console) -> dict[str, Any]:
    return {
        "path": "/console",
        "httponly": True,
        "samesite": "Strict",
        "secure": console.settings.secure_cookies,
    }


# -- sign-in ---------------------------------------------------------------------------------


async def sign_in_form(request: web.Request, identity: Identity | None) -> web.StreamResponse:
    if identity is not None:
        return see_other("/console/")
    return _sign_in_page(request, 200, None)


def _sign_in_page(request: web.Request, status: int, error: str | None) -> web.Response:
    console = request.app[CONSOLE]
    nonce, token = console.sessions.sign_in_nonce()
    response = render(request, "sign_in.html", None, status, sign_in_csrf=token, error=error)
    response.set_cookie(SIGN_IN_COOKIE, nonce, max_age=3600, **_cookie_flags(console))
    return response


async def sign_in(request: web.Request, _: Identity | None) -> web.StreamResponse:
    """Check the form, the limits, the secret; audit the attempt; then open a session."""
    console = request.app[CONSOLE]
    form = await request.post()
    if not console.sessions.sign_in_ok(
        request.cookies.get(SIGN_IN_COOKIE), _text(form.get("csrf"))
    ):
        console.metrics.console_sign_ins.labels("expired_form").inc()
        return _sign_in_page(request, 400, "form_expired")
    name = (_text(form.get("account")) or "").strip()
    password = _text(form.get("password")) or ""
    token = (_text(form.get("token")) or "").strip()
    known = console.directory.is_account(name)
    keys = [f"address:{request.remote}", f"account:{name if known else '-'}"]
    if console.limiter.blocked(keys):
        console.metrics.console_sign_ins.labels("rate_limited").inc()
        return _sign_in_page(request, 429, "sign_in_limited")
    if token:
        identity, method = console.directory.check_token(token), "token"
    else:
        identity = await asyncio.to_thread(console.directory.check_password, name, password)
        method = "password"
    actor = identity.name if identity else (name if known and method == "password" else "-")
    try:
        await console.services.audit.record(
            sign_in_entry(actor, method, "ok" if identity else "failed", request.remote)
        )
    except AuditUnavailable:
        console.metrics.console_sign_ins.labels("unaudited").inc()
        if identity is None:
            console.limiter.failed(keys)
        return _sign_in_page(request, 503, "sign_in_unaudited")
    if identity is None:
        console.limiter.failed(keys)
        console.metrics.console_sign_ins.labels("failed").inc()
        log.warning("console_sign_in_failed", account=actor, method=method)
        return _sign_in_page(request, 401, "sign_in_failed")
    console.metrics.console_sign_ins.labels("ok").inc()
    log.info("console_signed_in", account=identity.name, role=identity.role, method=method)
    cookie, _ = console.sessions.issue(identity)
    response = see_other("/console/")
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        max_age=console.settings.session_minutes * 60,
        **_cookie_flags(console),
    )
    response.del_cookie(SIGN_IN_COOKIE, path="/console")
    return response


def sign_in_entry(actor: str, method: str, result: str, address: str | None) -> Entry:
    """A console sign-in for the trail: the account only if it is a configured one (a name
    typed by someone else is caller text: it may be a password typed in the wrong field);
    the client's address encrypted in the payload."""
    return Entry(
        kind=EntryKind.SIGN_IN,
        request_id=f"sign-in-{secrets.token_hex(8)}",
        occurred_at=datetime.now(UTC),
        app="-",
        actor=actor,
        details={"result": result, "method": method},
        payload={"address": address or "-"},
    )


def sign_out_entry(identity: Identity, revocation: str, until: int, address: str | None) -> Entry:
    """A session that ended, for the trail: the account, the session's revocation id and the
    time after which its cookie expires anyway (other processes refuse it until then)."""
    return Entry(
        kind=EntryKind.SIGN_OUT,
        request_id=f"sign-out-{secrets.token_hex(8)}",
        occurred_at=datetime.now(UTC),
        app="-",
        actor=identity.name,
        details={"session": revocation, "until": until},
        payload={"address": address or "-"},
    )


async def sign_out(request: web.Request, identity: Identity) -> web.StreamResponse:
    """End the session here at once, and everywhere once its `sign_out` entry is written."""
    console = request.app[CONSOLE]
    revoked = console.sessions.revoke(identity)
    response = see_other("/console/sign-in")
    if revoked is not None:
        try:
            await console.services.audit.record(sign_out_entry(identity, *revoked, request.remote))
        except AuditUnavailable:
            log.error("console_sign_out_unrecorded", account=identity.name)
            response = render(request, "error.html", None, 503, message="sign_out_unrecorded")
    response.del_cookie(SESSION_COOKIE, path="/console")
    log.info("console_signed_out", account=identity.name)
    return response


# -- dashboard -------------------------------------------------------------------------------


class BadFilter(ValueError):
    """A filter the console does not accept; names the field only."""


def parse_dashboard(query: Mapping[str, str]) -> tuple[Period, dict[str, str]]:
    """The dashboard's period and its app, provider and region filters."""
    name = query.get("period", "").strip() or DEFAULT_PERIOD
    if name not in PERIODS:
        raise BadFilter("period")
    chosen = {}
    for field in ("app", "provider", "region"):
        value = query.get(field, "").strip()
        if value:
            if not NAME.match(value):
                raise BadFilter(field)
            chosen[field] = value
    return PERIODS[name], chosen


def dashboard_options(config: Config, chosen: Mapping[str, str]) -> dict[str, list[str]]:
    """What the dashboard's filters offer: the configured apps, providers and regions (and
    the value chosen, if the config no longer has it)."""
    apps = {app.name for app in config.apps}
    if config.anonymous_app is not None:
        apps.add(config.anonymous_app.name)
    offered = {
        "app": apps,
        "provider": set(config.providers),
        "region": {p.region for p in config.providers.values() if p.region},
    }
    return {
        field: sorted(values | ({chosen[field]} if field in chosen else set()))
        for field, values in offered.items()
    }


async def dashboard(request: web.Request, identity: Identity) -> web.StreamResponse:
    """Requests, personal-data types, decisions and latency over time, per app and
    destination (`proxy.console.dashboard`), as server-rendered SVG."""
    console = request.app[CONSOLE]
    language = request[LANGUAGE]
    try:
        period, chosen = parse_dashboard(request.query)
        bad = None
    except BadFilter as exc:
        period, chosen, bad = PERIODS[DEFAULT_PERIOD], {}, str(exc)
    starts = period.starts(datetime.now(UTC))
    filters = RecordFilter(
        app=chosen.get("app"),
        provider=chosen.get("provider"),
        region=chosen.get("region"),
        since=starts[0],
        until=starts[-1] + period.step,
    )
    store = console.store

    def count() -> Figures:
        return summarise(
            store.tally(filters, starts, starts[-1] + period.step), starts, period.step
        )

    figures = await asyncio.to_thread(count)
    return render(
        request,
        "dashboard.html",
        identity,
        400 if bad else 200,
        bad=bad,
        period=period.name,
        periods=list(PERIODS),
        chosen=chosen,
        options=dashboard_options(console.services.config, chosen),
        figures=figures,
        charts=charts_of(figures, translator(language), language),
        trail_since=starts[0].date().isoformat(),
    )


# -- the trail -------------------------------------------------------------------------------


def _day(text: str, field: str) -> datetime:
    try:
        return datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
    except ValueError:
        raise BadFilter(field) from None


def parse_filters(query: Mapping[str, str]) -> dict[str, Any]:
    """The table's filters from the query string, each checked against a grammar."""
    filters: dict[str, Any] = {}
    for field in ("app", "provider", "region", "model"):
        value = query.get(field, "").strip()
        if value:
            if not NAME.match(value):
                raise BadFilter(field)
            filters[field] = value
    entity = query.get("entity", "").strip()
    if entity:
        if not ENTITY.match(entity):
            raise BadFilter("entity")
        filters["entity"] = entity
    decision = query.get("decision", "").strip()
    if decision:
        if decision not in {d.value for d in Decision}:
            raise BadFilter("decision")
        filters["decision"] = decision
    for field in ("since", "until"):
        if query.get(field):
            filters[field] = _day(query[field], field)
    end_user = query.get("end_user", "")
    if end_user:
        if "app" not in filters or len(end_user) > 500:
            raise BadFilter("end_user")
        filters["end_user"] = end_user
    return filters


def list_page(
    store: AuditStore, filters: dict[str, Any], before: int | None
) -> tuple[list[Any], bool]:
    """One page of the table, newest first, after entry `before` if given."""
    chosen = dict(filters)
    end_user = chosen.pop("end_user", None)
    if end_user is not None:
        chosen["end_user_hash"] = store.end_user_hash(chosen["app"], end_user)
    older_than = None
    if before is not None:
        anchor = store.get(before)
        if anchor is not None:
            older_than = (anchor.occurred_at, anchor.seq)
    rows = store.list_records(PAGE + 1, older_than=older_than, **chosen)
    return rows[:PAGE], len(rows) > PAGE


async def records(request: web.Request, identity: Identity) -> web.StreamResponse:
    store = request.app[CONSOLE].store
    query = request.query
    page: dict[str, Any] = {
        "query": query,
        "kept": {k: v for k, v in query.items() if k not in ("before", "lang") and v},
        "decisions": [d.value for d in Decision],
        "rows": [],
        "more": False,
        "bad": None,
    }
    try:
        filters = parse_filters(query)
        before = int(query["before"]) if query.get("before") else None
    except BadFilter as exc:
        return render(request, "records.html", identity, 400, **{**page, "bad": str(exc)})
    except ValueError:
        return render(request, "records.html", identity, 400, **{**page, "bad": "before"})
    page["rows"], page["more"] = await asyncio.to_thread(list_page, store, filters, before)
    return render(request, "records.html", identity, **page)


def metadata(record: Any) -> list[tuple[str, str]]:
    shown = []
    for name in SHOWN_COLUMNS:
        value = getattr(record, name)
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, dict):
            value = json.dumps(value, sort_keys=True, ensure_ascii=False)
        shown.append((name, "" if value is None else str(value)))
    return shown


async def record(request: web.Request, identity: Identity) -> web.StreamResponse:
    store = request.app[CONSOLE].store
    found = await asyncio.to_thread(store.get, int(request.match_info["seq"]))
    if found is None:
        return render(request, "error.html", identity, 404, message="not_found")
    return render(request, "record.html", identity, record=found, fields=metadata(found))


async def decrypt(request: web.Request, identity: Identity) -> web.StreamResponse:
    """The payload, once the access entry naming the reviewer and the reason is committed."""
    console = request.app[CONSOLE]
    store = console.store
    seq = int(request.match_info["seq"])
    reason = (_text((await request.post()).get("reason")) or "").strip()
    found = await asyncio.to_thread(store.get, seq)
    if found is None:
        return render(request, "error.html", identity, 404, message="not_found")
    page: dict[str, Any] = {"record": found, "fields": metadata(found)}
    if not reason or len(reason) > MAX_REASON:
        return render(request, "record.html", identity, 400, error="reason_required", **page)
    try:
        reviewed = await asyncio.wait_for(
            asyncio.to_thread(store.review, seq, actor=identity.actor, reason=reason),
            console.services.config.audit.timeout_seconds,
        )
    except AuditKeyError:
        return render(request, "record.html", identity, 500, error="unreadable", **page)
    except (AuditError, TimeoutError) as exc:
        log.error("console_access_unrecorded", seq=seq, error_type=type(exc).__name__)
        return render(request, "record.html", identity, 503, error="audit_unavailable", **page)
    if reviewed is None:
        return render(request, "error.html", identity, 404, message="not_found")
    log.info("console_payload_read", seq=seq, account=identity.name, access=reviewed.access_seq)
    payload = (
        printable(json.dumps(reviewed.payload, indent=2, ensure_ascii=False, default=str))
        if reviewed.payload is not None
        else None
    )
    return render(
        request,
        "record.html",
        identity,
        access_seq=reviewed.access_seq,
        payload=payload,
        payload_status=reviewed.status,
        **page,
    )


# -- report ----------------------------------------------------------------------------------


async def report(request: web.Request, identity: Identity) -> web.StreamResponse:
    """The monthly record of processing (GDPR Article 30 basis), as `voile audit report`."""
    month = request.query.get("month", "")
    fmt = request.query.get("format", "text")
    if not month:
        default = datetime.now(UTC).strftime("%Y-%m")
        return render(request, "report.html", identity, month=default, text=None, error=None)
    if not MONTH.match(month) or fmt not in ("text", "json", "csv"):
        return render(request, "report.html", identity, 400, month="", text=None, error="bad_month")
    store = request.app[CONSOLE].store
    out, err = io.StringIO(), io.StringIO()
    code = await asyncio.to_thread(report_month, store, month, fmt=fmt, out=out, err=err)
    if code != 0:
        return render(request, "report.html", identity, 400, month="", text=None, error="bad_month")
    if fmt == "text":
        return render(
            request,
            "report.html",
            identity,
            month=month,
            text=printable(out.getvalue()),
            error=None,
        )
    return web.Response(
        text=out.getvalue(),
        content_type="application/json" if fmt == "json" else "text/csv",
        headers={"Content-Disposition": f'attachment; filename="voile-report-{month}.{fmt}"'},
    )


# -- the chain ---------------------------------------------------------------------------------


def checkpoints(config: Config, store: AuditStore) -> tuple[str, list[Any]]:
    """The trail's id and its latest signed checkpoints, newest first."""
    trail_id = store.trail_id
    stored = DirectorySink(config.audit_checkpoint_dir).read(trail_id)
    signed = [s.checkpoint for s in stored if s.checkpoint is not None]
    return trail_id, sorted(signed, key=lambda c: c.seq, reverse=True)[:10]


def verify_now(config: Config, store: AuditStore) -> tuple[bool, str]:
    """`voile audit verify`, as the CLI runs it: hashes, links, MACs and checkpoints."""
    public = (
        SigningKeys.load(config.audit_signing_key_file).public()
        if config.audit_signing_key_file.exists()
        else PublicKeys([])
    )
    out = io.StringIO()
    code = verify_trail(
        store,
        sink=DirectorySink(config.audit_checkpoint_dir),
        public_keys=public,
        out=out,
        err=out,
    )
    return code == 0, out.getvalue()


async def chain(request: web.Request, identity: Identity) -> web.StreamResponse:
    console = request.app[CONSOLE]
    trail_id, signed = await asyncio.to_thread(checkpoints, console.services.config, console.store)
    state = console.verification
    return render(
        request,
        "chain.html",
        identity,
        trail_id=trail_id,
        checkpoints=signed,
        state=state,
        running=state.running is not None and not state.running.done(),
        may_verify=identity.may(Permission.VERIFY),
    )


async def verify(request: web.Request, identity: Identity) -> web.StreamResponse:
    """Start a verification in the background (one at a time); its result is shown on the
    chain's page."""
    console = request.app[CONSOLE]
    state = console.verification
    if state.running is None or state.running.done():
        config, store = console.services.config, console.store

        async def run() -> None:
            try:
                state.ok, state.report = await asyncio.to_thread(verify_now, config, store)
            except Exception as exc:  # reported by type: its text may come from the database
                state.ok, state.report = False, f"verification failed: {type(exc).__name__}"
            state.finished_at = datetime.now(UTC)
            log.info("console_chain_verified", ok=state.ok, account=identity.name)

        state.started_by = identity.name
        state.running = asyncio.get_running_loop().create_task(run())
    return see_other("/console/chain")


# -- policies ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyChange:
    """One `policy_change` entry, as the policies' page shows it."""

    seq: int
    occurred_at: datetime
    result: str  # applied or rejected
    trigger: str
    replica: str
    old: str
    new: str
    files: list[tuple[str, str, str]]  # name, old hash, new hash ("" for absent)
    errors: list[str]


def policy_changes(store: AuditStore, before: int | None = None) -> tuple[list[PolicyChange], bool]:
    """One page of the policy changes in the trail, newest first, after entry `before` if
    given (as the audit table pages: stable while entries are appended), and whether there
    are older ones. Details are clear metadata."""
    older_than = None
    if before is not None:
        anchor = store.get(before)
        if anchor is not None:
            older_than = (anchor.occurred_at, anchor.seq)
    entries = store.list_records(
        POLICY_HISTORY + 1, kind=EntryKind.POLICY_CHANGE, older_than=older_than
    )
    changes = []
    for entry in entries[:POLICY_HISTORY]:
        details = entry.details or {}
        found = details.get("files")
        files: dict[str, Any] = found if isinstance(found, dict) else {}
        changes.append(
            PolicyChange(
                seq=entry.seq,
                occurred_at=entry.occurred_at,
                result=str(details.get("result", "")),
                trigger=str(details.get("trigger", "")),
                replica=str(details.get("replica", entry.actor or "")),
                old=str(details.get("old") or ""),
                new=str(details.get("new") or ""),
                files=[
                    (str(name), str(hashes.get("old") or ""), str(hashes.get("new") or ""))
                    for name, hashes in sorted(files.items())
                    if isinstance(hashes, dict)
                ],
                errors=[str(e) for e in details.get("errors") or [] if isinstance(e, str)],
            )
        )
    return changes, len(entries) > POLICY_HISTORY


def assigned_policies(config: Config) -> dict[str, str]:
    """App name -> the name of the policy it runs under (as `voile policy test --app`)."""
    assigned = {app.name: app.policy for app in config.apps}
    if config.anonymous_app is not None:
        assigned.setdefault(config.anonymous_app.name, config.anonymous_app.policy)
    return assigned


def _policies_page(
    request: web.Request,
    identity: Identity,
    changes: tuple[list[PolicyChange], bool],
    status: int = 200,
    *,
    before: int | None = None,
    **trial: Any,
) -> web.Response:
    services = request.app[CONSOLE].services
    current = services.policies
    return render(
        request,
        "policies.html",
        identity,
        status,
        version=current.version,
        files=sorted(current.files.items()),
        policies=sorted((name, p.sha256) for name, p in current.policies.items()),
        changes=changes[0],
        more=changes[1],
        before=before,
        may_test=identity.may(Permission.TEST_POLICY),
        apps=sorted(assigned_policies(services.config)),
        providers=sorted(services.config.providers),
        form=trial.pop("form", {}),
        trial=trial.pop("trial", None),
        error=trial.pop("error", None),
        bad=trial.pop("bad", None),
    )


async def policies(request: web.Request, identity: Identity) -> web.StreamResponse:
    """The running policies' version, each file's hash, and the changes the trail recorded,
    a page at a time (`?before=SEQ`: the page after that entry)."""
    store = request.app[CONSOLE].store
    given = request.query.get("before", "")
    if given and not SEQ.fullmatch(given):
        changes = await asyncio.to_thread(policy_changes, store)
        return _policies_page(request, identity, changes, 400, bad="before")
    before = int(given) if given else None
    changes = await asyncio.to_thread(policy_changes, store, before)
    return _policies_page(request, identity, changes, before=before)


async def policy_test(request: web.Request, identity: Identity) -> web.StreamResponse:
    """`voile policy test` in a form: a text as an app would send it to a provider, under the
    running policies — its detections and the text as the provider would see it."""
    console = request.app[CONSOLE]
    services = console.services
    form = await request.post()
    app = (_text(form.get("app")) or "").strip()
    provider = (_text(form.get("provider")) or "").strip()
    text = _text(form.get("text")) or ""
    changes = await asyncio.to_thread(policy_changes, console.store)
    chosen = {"app": app, "provider": provider, "text": text}
    policy_name = assigned_policies(services.config).get(app)
    current = services.policies
    error = (
        "trial_app"
        if policy_name is None or policy_name not in current.policies
        else "trial_provider"
        if provider not in services.config.providers
        else "trial_text"
        if not text.strip() or len(text) > MAX_TRIAL_TEXT
        else None
    )
    if error is not None or policy_name is None:
        return _policies_page(request, identity, changes, 400, form=chosen, error=error)
    policy = current.policies[policy_name]
    regions = {name: p.region for name, p in services.config.providers.items()}
    target = target_for(app, provider, None, regions)
    trial: Trial = await run_trial(policy, target, text, services.detector)
    log.info(  # what was tried, never the text
        "console_policy_tested",
        account=identity.name,
        app=app,
        provider=provider,
        policy=policy.name,
        version=current.version[:12],
        detections=len(trial.detections),
        forwarded=trial.forwarded,
    )
    return _policies_page(request, identity, changes, form=chosen, trial=trial)


ROUTES: tuple[Route, ...] = (
    Route("GET", "/console/sign-in", "sign_in_form", sign_in_form, PUBLIC),
    Route("POST", "/console/sign-in", "sign_in", sign_in, PUBLIC),
    Route("POST", "/console/sign-out", "sign_out", sign_out, Permission.VIEW),
    Route("GET", "/console/", "dashboard", dashboard, Permission.VIEW),
    Route("GET", "/console/records", "records", records, Permission.VIEW),
    Route("GET", r"/console/records/{seq:\d{1,18}}", "record", record, Permission.VIEW),
    Route(
        "POST", r"/console/records/{seq:\d{1,18}}/decrypt", "decrypt", decrypt, Permission.DECRYPT
    ),
    Route("GET", "/console/report", "report", report, Permission.VIEW),
    Route("GET", "/console/chain", "chain", chain, Permission.VIEW),
    Route("POST", "/console/chain/verify", "verify", verify, Permission.VERIFY),
    Route("GET", "/console/policies", "policies", policies, Permission.VIEW),
    Route("POST", "/console/policies/test", "policy_test", policy_test, Permission.TEST_POLICY),
)


def setup(
    admin: web.Application,
    config: Config,
    settings: ConsoleSettings,
    services_of: Callable[[], Services | None],
    metrics: Metrics,
) -> None:
    """The console's pages on the admin application `admin`."""
    directory = Directory(settings)
    admin[CONSOLE] = Console(
        settings,
        directory,
        Sessions(session_key(config, settings), directory, settings.session_minutes * 60),
        SignInLimiter(settings.sign_in_failures_per_minute),
        services_of,
        metrics,
    )
    aiohttp_jinja2.setup(
        admin,
        loader=jinja2.PackageLoader("proxy.console", "templates"),
        autoescape=jinja2.select_autoescape(default=True),
        undefined=jinja2.StrictUndefined,
    )
    aiohttp_jinja2.get_env(admin).filters["printable"] = printable
    for route in ROUTES:
        admin.router.add_route(route.method, route.path, guarded(route), name=route.name)
