"""The compliance console (issue 14, item 1) on the admin listener, through real servers on
127.0.0.1: every page's authorisation for nobody and each role, sign-in (wrong password
refused, rate-limited and audited), sessions (cookie flags, CSRF, sign-out), the trail's
table with filters and pages, a record's detail, a decryption only after a stated reason
with its access entry in the trail, the monthly report, French and English."""

from __future__ import annotations

import asyncio
import contextlib
import io
import re
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from audit.events import Entry, EntryKind
from proxy.app import RELOADER, SERVICES
from proxy.config import Config
from proxy.console import views
from proxy.console.auth import ROLES, Permission, hash_password
from proxy.console.i18n import MESSAGES
from proxy.reload import Result, Trigger
from tests.proxy.conftest import AdminFactory, VoileFactory, audit_store_of, client_for
from tests.proxy.support import settled_records

PASSWORDS = {
    "vera": "viewer-password-4d2",
    "rita": "reviewer-password-9f1",
    "sam": "security-password-7c3",
}
ROLE_OF = {"vera": "viewer", "rita": "reviewer", "sam": "security_admin"}
HASHES = {name: hash_password(password) for name, password in PASSWORDS.items()}
TOKEN = "console-token-canary-51b0e7a2c9d4"
PROMPT = "Bonjour, je suis Jean Dupont, écrivez à jean.dupont@orange.fr."
TRIAL = {"app": "support", "provider": "openai", "text": PROMPT}


class Browser:
    """A client that keeps the console's cookies itself (they are `Secure`; the test talks
    plain HTTP to 127.0.0.1, as a browser does to localhost) and follows no redirect."""

    def __init__(self, server: TestServer, http: aiohttp.ClientSession) -> None:
        self.server, self.http = server, http
        self.cookies: dict[str, str] = {}
        self.last_set_cookie: SimpleCookie = SimpleCookie()

    async def call(
        self, method: str, path: str, data: dict[str, str] | None = None, **headers: str
    ) -> tuple[int, str, aiohttp.ClientResponse]:
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        async with self.http.request(
            method, self.server.make_url(path), data=data, headers=headers, allow_redirects=False
        ) as response:
            text = await response.text()
        for header in response.headers.getall("Set-Cookie", []):
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                self.last_set_cookie[name] = morsel
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, text, response

    async def sign_in(self, account: str, password: str) -> int:
        status, page, _ = await self.call("GET", "/console/sign-in")
        assert status == 200
        csrf = form_csrf(page)
        status, _, _ = await self.call(
            "POST", "/console/sign-in", {"csrf": csrf, "account": account, "password": password}
        )
        return status

    async def csrf(self) -> str:
        status, page, _ = await self.call("GET", "/console/records")
        assert status == 200
        return form_csrf(page)


def form_csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, "the page has a form with a CSRF token"
    return found.group(1)


@pytest.fixture
def console_config(make_config: Callable[..., Config], monkeypatch: pytest.MonkeyPatch) -> Config:
    monkeypatch.setenv("VOILE_TEST_CONSOLE_TOKEN", TOKEN)
    config: Config = make_config(
        admin={
            "listen": {"port": 0},
            "console": {
                "accounts": [
                    {"name": name, "role": ROLE_OF[name], "password_hash": HASHES[name]}
                    for name in PASSWORDS
                ],
                "tokens": [
                    {"name": "siem", "role": "reviewer", "token_env": "VOILE_TEST_CONSOLE_TOKEN"}
                ],
                "sign_in_failures_per_minute": 3,
            },
        },
    )
    return config


@pytest.fixture
async def console(
    start_voile: VoileFactory, start_admin: AdminFactory, console_config: Config
) -> TestServer:
    voile = await start_voile(console_config)
    async with client_for(voile) as sdk:
        await sdk.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": PROMPT}]
        )
    await settled_records(console_config, 1)
    return await start_admin(voile)


@pytest.fixture
async def http() -> Any:
    async with aiohttp.ClientSession() as session:
        yield session


async def signed_in(console: TestServer, http: aiohttp.ClientSession, name: str) -> Browser:
    browser = Browser(console, http)
    assert await browser.sign_in(name, PASSWORDS[name]) == 303
    return browser


# -- authorisation of every page --------------------------------------------------------------


def test_every_console_route_is_in_the_table(console_config: Config) -> None:
    from proxy.admin import create_admin_app  # noqa: PLC0415
    from proxy.app import create_app  # noqa: PLC0415

    admin = create_admin_app(create_app(console_config))
    registered = {
        (route.method, route.name)
        for route in admin.router.routes()
        if route.resource is not None and route.resource.canonical.startswith("/console")
    }
    table = {(route.method, route.name) for route in views.ROUTES}
    assert registered == table
    public = {(r.method, r.path) for r in views.ROUTES if r.permission == views.PUBLIC}
    assert public == {("GET", "/console/sign-in"), ("POST", "/console/sign-in")}


PROTECTED = [route for route in views.ROUTES if route.permission != views.PUBLIC]


def concrete(path: str) -> str:
    return path.replace(r"{seq:\d{1,18}}", "1")


@pytest.mark.parametrize("route", PROTECTED, ids=lambda r: f"{r.method} {r.path}")
async def test_nobody_gets_no_protected_page(
    console: TestServer, http: aiohttp.ClientSession, route: views.Route
) -> None:
    browser = Browser(console, http)
    status, page, response = await browser.call(route.method, concrete(route.path), {})
    if route.method == "GET":
        assert (status, response.headers["Location"]) == (303, "/console/sign-in")
    else:
        assert status == 401
    assert "Jean Dupont" not in page


@pytest.mark.parametrize("role", sorted(ROLES))
@pytest.mark.parametrize("route", PROTECTED, ids=lambda r: f"{r.method} {r.path}")
async def test_each_role_gets_exactly_the_pages_its_permissions_allow(
    console: TestServer, http: aiohttp.ClientSession, route: views.Route, role: str
) -> None:
    name = next(n for n, r in ROLE_OF.items() if r == role)
    browser = await signed_in(console, http, name)
    data = {
        "csrf": await browser.csrf(),
        "reason": "authorisation test",
        **TRIAL,  # the policy test form's fields
    }
    status, _, _ = await browser.call(route.method, concrete(route.path), data)
    assert isinstance(route.permission, Permission)
    if route.permission in ROLES[role]:
        assert status in (200, 303), (route.path, role, status)
    else:
        assert status == 403, (route.path, role, status)


async def test_a_post_without_the_session_csrf_token_is_refused(
    console: TestServer, http: aiohttp.ClientSession, console_config: Config
) -> None:
    browser = await signed_in(console, http, "rita")
    for data in ({}, {"csrf": "forged", "reason": "curious"}):
        status, page, _ = await browser.call("POST", "/console/records/1/decrypt", data)
        assert status == 403
        assert "Jean Dupont" not in page
    assert not [r for r in all_entries(console_config) if r.kind == EntryKind.ACCESS.value]


# -- sign-in and sessions ------------------------------------------------------------------------


def all_entries(config: Config) -> list[Any]:
    store = audit_store_of(config)
    try:
        return list(store.iter_records(views.RecordFilter(requests_only=False)))
    finally:
        store.close()


async def test_a_wrong_password_is_refused_audited_then_rate_limited(
    console: TestServer, http: aiohttp.ClientSession, console_config: Config
) -> None:
    browser = Browser(console, http)
    assert await browser.sign_in("rita", "not-her-password") == 401
    assert await browser.sign_in("Jean Dupont typed here", "x") == 401
    assert await browser.sign_in("rita", "still-not-it") == 401
    # A third failure for this address: the limit (3 a minute) is reached, even right.
    assert await browser.sign_in("rita", PASSWORDS["rita"]) == 429
    assert SESSION not in browser.cookies
    sign_ins = [r for r in all_entries(console_config) if r.kind == EntryKind.SIGN_IN.value]
    assert [(r.actor, r.details["result"]) for r in sign_ins] == [
        ("rita", "failed"),
        ("-", "failed"),  # a name typed by someone is not a column: it may be a password
        ("rita", "failed"),
    ]
    store = audit_store_of(console_config)
    try:
        assert store.decrypt_entry(sign_ins[0])["address"] == "127.0.0.1"
    finally:
        store.close()


SESSION = "voile_session"


async def test_a_session_cookie_is_httponly_strict_secure_and_ends_at_sign_out(
    console: TestServer, http: aiohttp.ClientSession, console_config: Config
) -> None:
    browser = await signed_in(console, http, "vera")
    morsel = browser.last_set_cookie[SESSION]
    assert morsel["httponly"]
    assert morsel["secure"]
    assert (morsel["samesite"], morsel["path"]) == ("Strict", "/console")
    old_cookie = browser.cookies[SESSION]
    status, page, response = await browser.call("GET", "/console/records")
    assert status == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "script-src" not in response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    csrf = form_csrf(page)
    status, _, _ = await browser.call("POST", "/console/sign-out", {"csrf": csrf})
    assert status == 303
    assert SESSION not in browser.cookies
    browser.cookies[SESSION] = old_cookie  # replayed after sign-out
    status, _, _ = await browser.call("GET", "/console/records")
    assert status == 303
    sign_ins = [r for r in all_entries(console_config) if r.kind == EntryKind.SIGN_IN.value]
    assert [(r.actor, r.details) for r in sign_ins] == [
        ("vera", {"result": "ok", "method": "password"})
    ]


async def test_a_sign_out_ends_the_session_on_every_replica_sharing_the_trail(
    console: TestServer,
    http: aiohttp.ClientSession,
    start_voile: VoileFactory,
    start_admin: AdminFactory,
    console_config: Config,
) -> None:
    """Two Voile processes on one trail and one session key: a session signed out on one is
    refused by the other from the next request on (the `sign_out` entry)."""
    other = await start_admin(await start_voile(console_config))
    here = await signed_in(console, http, "vera")
    there = Browser(other, http)
    there.cookies = dict(here.cookies)
    assert (await there.call("GET", "/console/records"))[0] == 200, "one session, both"
    session_cookie = here.cookies[SESSION]
    status, _, _ = await here.call("POST", "/console/sign-out", {"csrf": await here.csrf()})
    assert status == 303
    status, _, response = await there.call("GET", "/console/records")
    assert (status, response.headers["Location"]) == (303, "/console/sign-in")
    status, _, _ = await there.call("POST", "/console/records/2/decrypt", {"reason": "x"})
    assert status == 401

    [entry] = [r for r in all_entries(console_config) if r.kind == EntryKind.SIGN_OUT.value]
    assert entry.actor == "vera"
    assert set(entry.details) == {"session", "until"}
    assert entry.details["session"] not in session_cookie, "a keyed hash, not the session id"
    again = await signed_in(other, http, "vera")
    assert (await again.call("GET", "/console/records"))[0] == 200, "a new session works"


async def test_no_session_is_trusted_while_the_sign_outs_cannot_be_read(
    console: TestServer, http: aiohttp.ClientSession, console_config: Config
) -> None:
    browser = await signed_in(console, http, "vera")
    assert (await browser.call("GET", "/console/records"))[0] == 200

    def rename(old: str, new: str) -> None:  # the trail's table gone, then back
        with contextlib.closing(sqlite3.connect(console_config.data_dir / "audit.db")) as db:
            db.execute(f"ALTER TABLE {old} RENAME TO {new}")
            db.commit()

    rename("audit_records", "audit_records_away")
    try:
        status, _, response = await browser.call("GET", "/console/records")
        assert (status, response.headers["Location"]) == (303, "/console/sign-in")
    finally:
        rename("audit_records_away", "audit_records")
    assert (await browser.call("GET", "/console/records"))[0] == 200


async def test_a_forged_or_tampered_session_is_nobody(
    console: TestServer, http: aiohttp.ClientSession
) -> None:
    browser = await signed_in(console, http, "vera")
    data, signature = browser.cookies[SESSION].split(".")
    browser.cookies[SESSION] = (
        data.replace(data[3], "A" if data[3] != "A" else "B") + "." + (signature)
    )
    assert (await browser.call("GET", "/console/"))[0] == 303
    browser.cookies[SESSION] = "e30." + signature  # {} with someone else's signature
    assert (await browser.call("GET", "/console/"))[0] == 303


async def test_the_sign_in_form_needs_its_own_csrf_token(
    console: TestServer, http: aiohttp.ClientSession
) -> None:
    browser = Browser(console, http)
    status, _, _ = await browser.call(
        "POST", "/console/sign-in", {"account": "rita", "password": PASSWORDS["rita"]}
    )
    assert status == 400
    assert SESSION not in browser.cookies


async def test_a_bearer_token_reads_and_decrypts_without_a_cookie(
    console: TestServer, http: aiohttp.ClientSession, console_config: Config
) -> None:
    browser = Browser(console, http)
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    status, page, _ = await browser.call("GET", "/console/records", **bearer)
    assert status == 200
    assert "support" in page
    status, page, _ = await browser.call(
        "POST", "/console/records/2/decrypt", {"reason": "SIEM case 12"}, **bearer
    )
    assert status == 200
    assert "Jean Dupont" in page
    wrong = {"Authorization": "Bearer not-the-token"}
    assert (await browser.call("GET", "/console/records", **wrong))[0] == 303


# -- the trail -----------------------------------------------------------------------------------


async def test_the_table_filters_and_pages(
    console: TestServer,
    http: aiohttp.ClientSession,
    console_config: Config,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    browser = await signed_in(console, http, "vera")
    status, page, _ = await browser.call("GET", "/console/records?app=support&entity=PERSON")
    assert status == 200
    assert page.count('href="/console/records/') == 1, "one request, one row"
    assert "PERSON=1" in page
    assert "Jean Dupont" not in page, "metadata only"
    status, page, _ = await browser.call("GET", "/console/records?app=hr")
    assert "/console/records/2" not in page
    status, page, _ = await browser.call("GET", "/console/records?decision=nonsense")
    assert status == 400
    status, page, _ = await browser.call("GET", "/console/records?app=%3Cscript%3E")
    assert status == 400
    assert "<script>" not in page

    monkeypatch.setattr(views, "PAGE", 1)
    status, page, _ = await browser.call("GET", "/console/records")
    assert 'rel="next"' not in page
    store = audit_store_of(console_config)
    try:
        from tests.audit.support import make_event  # noqa: PLC0415

        for index in range(2):
            store.write(make_event(request_id=f"extra-{index}", app="support"))
    finally:
        store.close()
    seen: list[str] = []
    path = "/console/records?app=support"
    for _ in range(5):
        status, page, _ = await browser.call("GET", path)
        assert status == 200
        seen += re.findall(r'href="/console/records/(\d+)"', page)
        found = re.search(r'rel="next" href="([^"]+)"', page)
        if not found:
            break
        path = found.group(1).replace("&amp;", "&")
        assert "app=support" in path, "the filters stay on the next page"
    assert len(seen) == 3
    assert len(set(seen)) == 3


async def test_a_record_shows_metadata_and_decrypts_only_after_a_reason(
    console: TestServer, http: aiohttp.ClientSession, console_config: Config
) -> None:
    outcome = next(r for r in all_entries(console_config) if r.kind == "outcome")
    browser = await signed_in(console, http, "rita")
    status, page, _ = await browser.call("GET", f"/console/records/{outcome.seq}")
    assert status == 200
    assert "EMAIL_ADDRESS" in page
    assert "Jean Dupont" not in page
    csrf = form_csrf(page)
    status, page, _ = await browser.call(
        "POST", f"/console/records/{outcome.seq}/decrypt", {"csrf": csrf, "reason": "  "}
    )
    assert status == 400
    assert "Jean Dupont" not in page
    assert not [r for r in all_entries(console_config) if r.kind == EntryKind.ACCESS.value]

    status, page, _ = await browser.call(
        "POST",
        f"/console/records/{outcome.seq}/decrypt",
        {"csrf": csrf, "reason": "DPO request 2025-17"},
    )
    assert status == 200
    assert "Jean Dupont" in page
    [access] = [r for r in all_entries(console_config) if r.kind == EntryKind.ACCESS.value]
    assert access.actor == "console:rita"
    assert access.subject_seq is not None
    assert f'href="/console/records/{access.seq}"' in page
    store = audit_store_of(console_config)
    try:
        assert store.decrypt_entry(access) == {"reason": "DPO request 2025-17"}
    finally:
        store.close()


async def test_nothing_is_decrypted_when_the_access_cannot_be_recorded(
    console: TestServer, http: aiohttp.ClientSession, console_config: Config
) -> None:
    browser = Browser(console, http)
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    database = console_config.data_dir / "audit.db"
    with contextlib.closing(sqlite3.connect(database)) as db:  # the store refuses writes
        db.execute(
            "CREATE TRIGGER no_access BEFORE INSERT ON audit_records WHEN NEW.kind = 'access' "
            "BEGIN SELECT RAISE(ABORT, 'read-only'); END"
        )
        db.commit()
    status, page, _ = await browser.call(
        "POST", "/console/records/2/decrypt", {"reason": "SIEM case 12"}, **bearer
    )
    assert status == 503
    assert MESSAGES["en"]["audit_unavailable"] in page
    assert "Jean Dupont" not in page
    assert not [r for r in all_entries(console_config) if r.kind == EntryKind.ACCESS.value]


async def test_a_viewer_sees_metadata_but_never_a_payload(
    console: TestServer, http: aiohttp.ClientSession, console_config: Config
) -> None:
    browser = await signed_in(console, http, "vera")
    status, page, _ = await browser.call("GET", "/console/records/2")
    assert status == 200
    assert 'action="/console/records/2/decrypt"' not in page
    assert MESSAGES["en"]["no_decrypt"] in page
    status, page, _ = await browser.call(
        "POST", "/console/records/2/decrypt", {"csrf": form_csrf(page), "reason": "curious"}
    )
    assert status == 403
    assert "Jean Dupont" not in page
    assert not [r for r in all_entries(console_config) if r.kind == EntryKind.ACCESS.value]


async def test_the_monthly_report_downloads_as_json_and_csv(
    console: TestServer, http: aiohttp.ClientSession
) -> None:
    browser = await signed_in(console, http, "vera")
    status, page, _ = await browser.call("GET", "/console/report")
    assert status == 200
    month = re.search(r'name="month" value="(\d{4}-\d{2})"', page)
    assert month
    status, text, response = await browser.call(
        "GET", f"/console/report?month={month.group(1)}&format=json"
    )
    assert status == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert '"support"' in text
    status, text, _ = await browser.call(
        "GET", f"/console/report?month={month.group(1)}&format=csv"
    )
    assert status == 200
    assert "support" in text
    assert (await browser.call("GET", "/console/report?month=2025-13x"))[0] == 400


async def test_pages_speak_french_when_asked(
    console: TestServer, http: aiohttp.ClientSession
) -> None:
    browser = await signed_in(console, http, "vera")
    status, page, _ = await browser.call("GET", "/console/records?lang=fr")
    assert status == 200
    assert '<html lang="fr">' in page
    assert "Journal d&#39;audit" in page
    status, page, _ = await browser.call("GET", "/console/")  # remembered by its cookie
    assert "Tableau de bord" in page
    status, page, _ = await browser.call("GET", "/console/?lang=en")
    assert "Dashboard" in page
    fresh = Browser(console, http)
    _, page, _ = await fresh.call("GET", "/console/sign-in", **{"Accept-Language": "fr-FR,fr"})
    assert "Se connecter" in page


async def test_the_dashboard_charts_the_trail_with_filters(
    console: TestServer, http: aiohttp.ClientSession
) -> None:
    browser = await signed_in(console, http, "vera")
    status, page, _ = await browser.call("GET", "/console/")
    assert status == 200
    assert page.count('<svg role="img"') == 7
    assert "support · 1" not in page
    assert re.search(r"<title>[^<]* · support: 1</title>", page), "today's bar names its app"
    assert re.search(r"<title>[^<]* · openai: 1</title>", page), "and its destination"
    assert re.search(r"<title>[^<]* · EMAIL_ADDRESS: 1</title>", page), "and its types"
    assert re.search(r"<title>[^<]* · median: \d+ ms</title>", page), "detection time"
    assert "Jean Dupont" not in page
    assert 'option value="support"' in page, "the configured apps are offered"

    status, page, _ = await browser.call("GET", "/console/?period=24h&app=hr")
    assert status == 200
    assert '<option value="24h" selected>' in page
    assert "EMAIL_ADDRESS" not in page, "hr sent nothing"
    assert MESSAGES["en"]["no_data"] in page
    for query in ("period=1y", "app=%3Cscript%3E", "region=a%20b"):
        status, page, _ = await browser.call("GET", f"/console/?{query}")
        assert status == 400, query
        assert "<script>" not in page


def test_both_languages_have_every_word() -> None:
    assert MESSAGES["en"].keys() == MESSAGES["fr"].keys()


async def test_a_security_admin_verifies_the_chain_in_the_background(
    console: TestServer, http: aiohttp.ClientSession
) -> None:
    browser = await signed_in(console, http, "sam")
    status, page, _ = await browser.call("GET", "/console/chain")
    assert status == 200
    assert MESSAGES["en"]["never_verified"] in page
    status, _, response = await browser.call(
        "POST", "/console/chain/verify", {"csrf": form_csrf(page)}
    )
    assert (status, response.headers["Location"]) == (303, "/console/chain")
    for _ in range(100):
        status, page, _ = await browser.call("GET", "/console/chain")
        if 'id="report"' in page:
            break
        await asyncio.sleep(0.1)
    assert "<strong>Intact</strong>" in page
    assert "by sam" in page
    viewer = await signed_in(console, http, "vera")
    status, page, _ = await viewer.call("GET", "/console/chain")
    assert "<strong>Intact</strong>" in page, "everyone sees the result"
    assert 'action="/console/chain/verify"' not in page


# -- policies ----------------------------------------------------------------------------------


async def test_every_role_sees_the_running_policies_and_their_history(
    start_voile: VoileFactory,
    start_admin: AdminFactory,
    console_config: Config,
    http: aiohttp.ClientSession,
    policies_dir: Path,
) -> None:
    """The version and each file's hash; once a file is rewritten and the policies reloaded,
    the new version and the change (old → new version, the file) from the trail."""
    voile = await start_voile(console_config)
    console = await start_admin(voile)
    reloader = voile.app[RELOADER]
    before = reloader.current
    for name in ("vera", "rita", "sam"):
        browser = await signed_in(console, http, name)
        status, page, _ = await browser.call("GET", "/console/policies")
        assert status == 200
        assert before.version in page
        for file, sha in before.files.items():
            assert f"<td>{file}</td><td><code>{sha}</code>" in page
        assert MESSAGES["en"]["no_policy_change"] in page
    default = policies_dir / "default.yaml"
    default.write_text(default.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")
    assert await reloader.reload(Trigger.SIGHUP) in (Result.APPLIED, Result.UNCHANGED)
    after = reloader.current
    assert after.version != before.version
    browser = await signed_in(console, http, "vera")
    status, page, _ = await browser.call("GET", "/console/policies?lang=fr")
    assert status == 200
    assert f'<code id="version">{after.version}</code>' in page
    assert MESSAGES["fr"]["change_applied"] in page
    assert f"<code>{before.version[:12]}</code> → <code>{after.version[:12]}</code>" in page
    old, new = before.files["default.yaml"], after.files["default.yaml"]
    assert f"default.yaml: <code>{old[:12]}</code> → <code>{new[:12]}</code>" in page
    assert 'action="/console/policies/test' not in page, "a viewer has no policy test form"


async def test_the_policy_history_pages_like_the_audit_table(
    start_voile: VoileFactory,
    start_admin: AdminFactory,
    console_config: Config,
    http: aiohttp.ClientSession,
) -> None:
    """More changes than a page holds: the newest page, then the rest through the `next`
    link, none shown twice or lost; a page number that is not one is a 400."""
    voile = await start_voile(console_config)
    console = await start_admin(voile)
    total = views.POLICY_HISTORY + 5
    for n in range(total):  # as the reloader records them (`proxy.reload`)
        await voile.app[SERVICES].audit.record(
            Entry(
                kind=EntryKind.POLICY_CHANGE,
                request_id=f"policy-change-{n:04d}",
                occurred_at=datetime.now(UTC),
                app="-",
                actor="replica-a",
                details={
                    "result": "applied",
                    "trigger": "sighup",
                    "old": f"{n:04d}old" + "0" * 57,
                    "new": f"{n:04d}new" + "0" * 57,
                    "replica": "replica-a",
                },
            )
        )
    browser = await signed_in(console, http, "vera")

    def shown(page: str) -> list[int]:
        return [int(n) for n in re.findall(r"<code>(\d{4})new0{5}</code>", page)]

    status, page, _ = await browser.call("GET", "/console/policies")
    assert status == 200
    first = shown(page)
    assert first == list(range(total - 1, total - 1 - views.POLICY_HISTORY, -1)), "newest first"
    following = re.search(r'<a rel="next" href="([^"]+)"', page)
    assert following is not None
    status, page, _ = await browser.call("GET", following.group(1).replace("&amp;", "&"))
    assert status == 200
    assert shown(page) == [4, 3, 2, 1, 0]
    assert 'rel="next"' not in page, "the last page has no next one"
    assert 'href="/console/policies#history"' in page, "and leads back to the first"

    status, page, _ = await browser.call("GET", "/console/policies?before=x1")
    assert status == 400
    assert MESSAGES["en"]["bad_filter"] in page


async def test_a_security_admin_tries_a_text_and_sees_what_the_provider_would(
    console: TestServer, http: aiohttp.ClientSession, log_output: io.StringIO
) -> None:
    browser = await signed_in(console, http, "sam")
    status, page, _ = await browser.call("GET", "/console/policies")
    assert 'action="/console/policies/test#result"' in page
    status, page, _ = await browser.call(
        "POST", "/console/policies/test", {"csrf": form_csrf(page), **TRIAL}
    )
    assert status == 200
    assert "<td>EMAIL_ADDRESS</td>" in page
    assert "<td>PERSON</td>" in page
    assert "default_action" in page or "rules[" in page
    masked = re.search(r'<pre id="masked">(.*?)</pre>', page, re.S)
    assert masked is not None
    assert "Jean Dupont" not in masked.group(1)
    assert "jean.dupont@orange.fr" not in masked.group(1)
    assert "&lt;PERSON_" in masked.group(1) or "&lt;EMAIL" in masked.group(1)
    assert "Jean Dupont" not in log_output.getvalue(), "the text tried is never logged"
    assert "console_policy_tested" in log_output.getvalue()


async def test_a_policy_test_needs_a_known_app_provider_and_a_text(
    console: TestServer, http: aiohttp.ClientSession
) -> None:
    browser = await signed_in(console, http, "sam")
    csrf = await browser.csrf()
    for bad, message in (
        ({"app": "nobody"}, "trial_app"),
        ({"provider": "elsewhere"}, "trial_provider"),
        ({"text": "   "}, "trial_text"),
    ):
        status, page, _ = await browser.call(
            "POST", "/console/policies/test", {"csrf": csrf, **TRIAL, **bad}
        )
        assert status == 400
        assert MESSAGES["en"][message] in page
    status, _, _ = await browser.call("POST", "/console/policies/test", {"csrf": "x", **TRIAL})
    assert status == 403


async def test_a_rejected_policy_change_is_shown_with_where_it_fails(
    start_voile: VoileFactory,
    start_admin: AdminFactory,
    console_config: Config,
    http: aiohttp.ClientSession,
    policies_dir: Path,
) -> None:
    """A file that does not validate: the running version stays, and the history shows the
    rejection, the candidate version, the file and the error's location."""
    voile = await start_voile(console_config)
    console = await start_admin(voile)
    reloader = voile.app[RELOADER]
    running = reloader.current
    (policies_dir / "broken.yaml").write_text("extends: nowhere\n", encoding="utf-8")
    assert await reloader.reload(Trigger.SIGHUP) is Result.REJECTED
    browser = await signed_in(console, http, "sam")
    status, page, _ = await browser.call("GET", "/console/policies")
    assert status == 200
    assert f'<code id="version">{running.version}</code>' in page
    assert MESSAGES["en"]["change_rejected"] in page
    assert "broken.yaml: <code>—</code> → <code>" in page
    assert 'class="error"><li>' in page
    assert "broken.yaml" not in page.split("<h2>")[1], "not among the running files"
