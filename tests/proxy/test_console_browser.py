"""The compliance console end to end in a real browser (issue 14, "Tests"): Debian's headless
Chromium, driven through its chromedriver by Selenium, against a real `voile serve` process
with its admin listener, in front of the fake OpenAI provider, after real traffic has been
written to the audit trail.

Covered: sign-in (by keyboard), a wrong password refused, a filter, a record's detail, a
decryption after a stated reason with its access entry in the trail, the monthly report
downloaded by the browser, and a viewer who must not see payloads (the page offers nothing,
and a forged form is refused by the server). Screenshots of the dashboard and a record go to
`$VOILE_CONSOLE_SCREENSHOTS` when set (`scripts/console-screenshots` writes `docs/`).

Marked `browser` (deselect with `-m 'not browser'`); `scripts/test` installs Chromium and
chromium-driver as root when missing. One Voile and one browser serve the whole module.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import openai
import pytest
from aiohttp import web
from selenium import webdriver
from selenium.common.exceptions import (
    StaleElementReferenceException,
    TimeoutException,
    WebDriverException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from audit.events import AuditEvent, Decision, Entry, EntryKind
from proxy.app import open_audit_store
from proxy.config import load_config
from proxy.console.auth import hash_password
from proxy.console.i18n import MESSAGES
from tests.fakes.openai_provider import FakeOpenAI
from tests.proxy.conftest import CANARIES, audit_store_of

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
EN = MESSAGES["en"]

SUPPORT_KEY = "vk-browser-support-5d01c3e8a2"
HR_KEY = "vk-browser-hr-9b27fa41c6"
PROVIDER_KEY = "sk-provider-canary-b7e2c9a1"
PASSWORDS = {
    "vera": "viewer-password-4d2",
    "rita": "reviewer-password-9f1",
    "sam": "security-password-7c3",
}
ROLE_OF = {"vera": "viewer", "rita": "reviewer", "sam": "security_admin"}
REASON = "DPO request 2025-17: subject access"

# (app key, provider, prompt): what the apps send before the browser opens. The hr app's
# policy blocks IBANs: its second request is refused and audited as blocked.
TRAFFIC = [
    (SUPPORT_KEY, "openai", "Bonjour, je suis Jean Dupont, écrivez à jean.dupont@orange.fr."),
    (SUPPORT_KEY, "openai", "Hi, I'm John Smith. Email me at john.smith@example.com."),
    (SUPPORT_KEY, "mistral", "Please call Marie Curie on +33 6 98 76 54 32 tomorrow."),
    (HR_KEY, "mistral", "Résume le dossier de Zoë Ångström, zoe.angstrom@example.org."),
    (HR_KEY, "openai", "Virez le salaire sur FR76 3000 6000 0112 3456 7890 189 demain."),
]


# What the hr policy's shadow rule records of a request it would have blocked.
SHADOW = {"policy": "strict", "policy_hash": "ab" * 32, "would_block": ["PERSON"]}


def history(today: datetime) -> list[AuditEvent]:
    """Thirteen days of earlier requests (outcomes as the proxy writes them; placeholders
    only in their payloads), so that the dashboard has a past: the same each run."""
    rng = random.Random(14)
    kinds = ["PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "IBAN_CODE", "LOCATION", "FR_NIR"]
    events = []
    for back in range(13, 0, -1):
        day = today - timedelta(days=back)
        for index in range(rng.randint(3, 9)):
            app = rng.choice(["support", "support", "hr"])
            provider, region = rng.choice([("openai", "us"), ("mistral", "eu")])
            decision = rng.choices(list(Decision), weights=[85, 8, 4, 3])[0]
            found = {kind: rng.randint(1, 3) for kind in rng.sample(kinds, rng.randint(0, 3))}
            events.append(
                AuditEvent(
                    request_id=f"history-{back}-{index}",
                    occurred_at=day + timedelta(seconds=rng.randint(0, 86_399)),
                    app=app,
                    provider=provider,
                    region=region,
                    route="/v1/chat/completions",
                    decision=decision,
                    status={"forwarded": 200, "blocked": 400, "rejected": 400}.get(decision, 502),
                    model="gpt-4o-mini",
                    policy_name="default" if app == "support" else "strict",
                    entity_counts=found,
                    latency_ms=rng.uniform(300, 1600),
                    details={"detect_ms": rng.randint(12, 90)}
                    | ({"upstream_ms": rng.randint(250, 1500)} if decision == "forwarded" else {})
                    | ({"shadow": SHADOW} if app == "hr" and "PERSON" in found else {}),
                    payload={"masked_request": {"messages": [{"content": "<PERSON_k3x9qa>"}]}},
                )
            )
    return events


def today() -> datetime:
    return datetime.combine(datetime.now(UTC).date(), datetime.min.time(), UTC)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ThreadedProvider:
    """The fake OpenAI provider, served from a thread of its own: Selenium's calls block,
    so the test's own event loop could not serve it."""

    def __init__(self, fake: FakeOpenAI) -> None:
        self.fake = fake
        self.port = free_port()
        self._loop = asyncio.new_event_loop()
        self._runner = web.AppRunner(fake.app(), access_log=None)
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def __enter__(self) -> ThreadedProvider:
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        self._loop.run_until_complete(site.start())
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Site:
    """The running Voile: its console's address, config and logs."""

    proxy: str
    admin: str
    config: Path
    logs: Path
    provider: FakeOpenAI
    history: list[AuditEvent]

    def entries(self) -> list[Any]:
        from audit.review import RecordFilter  # noqa: PLC0415

        store = audit_store_of(load_config(self.config))
        try:
            return list(store.iter_records(RecordFilter(requests_only=False)))
        finally:
            store.close()

    def decrypt(self, entry: Any) -> dict[str, Any]:
        store = audit_store_of(load_config(self.config))
        try:
            return store.decrypt_entry(entry)
        finally:
            store.close()


def write_config(directory: Path, provider: str, proxy_port: int, admin_port: int) -> Path:
    policies = directory / "policies"
    policies.mkdir()
    (policies / "default.yaml").write_text("languages: [en, fr]\n")
    (policies / "strict.yaml").write_text(
        "languages: [en, fr]\nrules:\n  - {entity: IBAN_CODE, action: block}\n"
        "  - {entity: PERSON, action: block, mode: shadow}\n"  # not yet: shadow mode
    )
    accounts = "\n".join(
        f"      - {{name: {name}, role: {ROLE_OF[name]}, password_hash: '{hash_password(pw)}'}}"
        for name, pw in PASSWORDS.items()
    )
    config = directory / "voile.yaml"
    config.write_text(
        f"listen: {{host: 127.0.0.1, port: {proxy_port}}}\n"
        "data_dir: data\n"
        f"policies_dir: {policies}\n"
        "providers:\n"
        f"  openai: {{base_url: '{provider}', api_key_env: VOILE_BROWSER_PROVIDER_KEY,"
        " region: us}\n"
        f"  mistral: {{base_url: '{provider}', api_key_env: VOILE_BROWSER_PROVIDER_KEY,"
        " region: eu}\n"
        "apps:\n"
        "  - {name: support, key_env: VOILE_BROWSER_SUPPORT_KEY, policy: default}\n"
        "  - {name: hr, key_env: VOILE_BROWSER_HR_KEY, policy: strict}\n"
        "detection: {workers: 1}\n"
        "admin:\n"
        f"  listen: {{host: 127.0.0.1, port: {admin_port}}}\n"
        "  console:\n"
        "    accounts:\n"
        f"{accounts}\n"
        "    sign_in_failures_per_minute: 30\n"
    )
    return config


def wait_ready(url: str, process: subprocess.Popen[bytes], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"voile serve exited with {process.returncode}"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise AssertionError("voile serve did not become ready")


def send_traffic(proxy: str) -> None:
    for key, provider, prompt in TRAFFIC:
        sdk = openai.OpenAI(base_url=f"{proxy}/{provider}/v1", api_key=key, max_retries=0)
        with sdk:
            ask = functools.partial(
                sdk.chat.completions.create,
                model="gpt-4o-mini",
                messages=[{"role": "user", "content": prompt}],
            )
            if "FR76" in prompt:
                with pytest.raises(openai.BadRequestError, match="IBAN_CODE"):
                    ask()
            else:
                ask()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    directory = tmp_path_factory.mktemp("console-browser")
    proxy_port, admin_port = free_port(), free_port()
    fake = FakeOpenAI()
    with ThreadedProvider(fake) as provider:
        config = write_config(directory, provider.url, proxy_port, admin_port)
        env = {k: v for k, v in os.environ.items() if k != "VOILE_CONFIG"}
        env |= {
            "VOILE_BROWSER_PROVIDER_KEY": PROVIDER_KEY,
            "VOILE_BROWSER_SUPPORT_KEY": SUPPORT_KEY,
            "VOILE_BROWSER_HR_KEY": HR_KEY,
        }
        past = history(today())
        store = open_audit_store(load_config(config), create=True)  # as a first run does
        try:
            store.append([Entry.outcome(event) for event in past])  # one transaction
        finally:
            store.close()
        logs = directory / "voile.log"
        with logs.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "proxy.cli", "serve", "--config", str(config)],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=directory,
            )
        proxy, admin = f"http://127.0.0.1:{proxy_port}", f"http://127.0.0.1:{admin_port}"
        try:
            wait_ready(f"{admin}/readyz", process)
            send_traffic(proxy)
            yield Site(proxy, admin, config, logs, fake, past)
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    text = logs.read_text(encoding="utf-8", errors="replace")
    leaked = [c for c in [*CANARIES, SUPPORT_KEY, HR_KEY, REASON, *PASSWORDS.values()] if c in text]
    assert not leaked, f"personal data or secrets in voile serve's output: {leaked}"
    assert process.returncode == 0, text[-2000:]


@pytest.fixture(scope="module")
def chrome(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not Path(path).exists()]
    if missing:
        pytest.fail(
            f"{', '.join(missing)} missing: install Debian's chromium and chromium-driver "
            "(scripts/test does as root) or deselect with -m 'not browser'"
        )
    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",  # root in CI has no user namespace for Chromium's sandbox
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        "--lang=en-US",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ):
        options.add_argument(argument)
    options.add_experimental_option(
        "prefs",
        {
            "intl.accept_languages": "en-US,en",
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
        },
    )
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    driver.downloads = downloads  # type: ignore[attr-defined]
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(driver: webdriver.Chrome, condition: Any, seconds: float = 10) -> Any:
    """Poll `condition`; an element of the page being replaced (a form just submitted) goes
    stale between finding and reading it, which only means "not yet". Chrome says so either
    as a stale element or, when the node goes mid-read, as an inspector error "Node with
    given id does not belong to the document" (CI failed once on each)."""

    def replaced_means_not_yet(current: webdriver.Chrome) -> Any:
        try:
            return condition(current)
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return False
            raise

    ignored = (StaleElementReferenceException,)
    return WebDriverWait(driver, seconds, poll_frequency=0.05, ignored_exceptions=ignored).until(
        replaced_means_not_yet
    )


def heading(driver: webdriver.Chrome) -> str:
    return str(driver.find_element(By.TAG_NAME, "h1").text)


def on_page(driver: webdriver.Chrome, path: str) -> None:
    wait_for(driver, lambda d: d.current_url.split("?")[0].endswith(path))


def sign_in(driver: webdriver.Chrome, site: Site, account: str, password: str) -> None:
    """Fill the sign-in form with the keyboard and press Enter."""
    driver.get(f"{site.admin}/console/sign-in")  # under the cookies' path, to drop them
    driver.delete_all_cookies()
    driver.get(f"{site.admin}/console/")
    on_page(driver, "/console/sign-in")
    driver.find_element(By.ID, "account").send_keys(account)
    driver.find_element(By.ID, "password").send_keys(password, Keys.ENTER)


def signed_in(driver: webdriver.Chrome, site: Site, account: str) -> None:
    sign_in(driver, site, account, PASSWORDS[account])
    on_page(driver, "/console/")
    assert f"{EN['signed_in_as']} {account}" in driver.find_element(By.CLASS_NAME, "who").text


def table_rows(driver: webdriver.Chrome) -> list[dict[str, str]]:
    """The trail's table as dicts keyed by column heading."""
    heads = [th.text for th in driver.find_elements(By.CSS_SELECTOR, "main table thead th")]
    return [
        dict(zip(heads, [td.text for td in row.find_elements(By.TAG_NAME, "td")], strict=True))
        for row in driver.find_elements(By.CSS_SELECTOR, "main table tbody tr")
    ]


def metadata(driver: webdriver.Chrome) -> dict[str, str]:
    return {
        row.find_element(By.TAG_NAME, "th").text: row.find_element(By.TAG_NAME, "td").text
        for row in driver.find_elements(By.CSS_SELECTOR, "main table tr")
    }


def open_record_with(driver: webdriver.Chrome, site: Site, **filters: str) -> str:
    """Filter today's trail, open the one row found; returns its seq."""
    query = urllib.parse.urlencode({"since": today().date().isoformat(), **filters})
    driver.get(f"{site.admin}/console/records?{query}")
    [row] = table_rows(driver)
    seq = row[EN["seq"]].lstrip("#")
    driver.find_element(By.LINK_TEXT, f"#{seq}").click()
    on_page(driver, f"/console/records/{seq}")
    return seq


# -- the tests --------------------------------------------------------------------------------


def test_a_wrong_password_is_refused_then_the_right_one_signs_in(
    site: Site, chrome: webdriver.Chrome
) -> None:
    sign_in(chrome, site, "rita", "not-her-password")
    wait_for(chrome, lambda d: d.find_elements(By.CSS_SELECTOR, "[role=alert]"))
    assert chrome.find_element(By.CSS_SELECTOR, "[role=alert]").text == EN["sign_in_failed"]
    assert heading(chrome) == EN["sign_in"]
    assert not chrome.get_cookie("voile_session")
    chrome.get(f"{site.admin}/console/records")
    on_page(chrome, "/console/sign-in")  # still nobody

    signed_in(chrome, site, "rita")
    assert heading(chrome) == EN["dashboard"]
    cookie = chrome.get_cookie("voile_session")
    assert cookie is not None
    assert (cookie["httpOnly"], cookie["secure"], cookie["sameSite"]) == (True, True, "Strict")
    sign_ins = [e for e in site.entries() if e.kind == EntryKind.SIGN_IN.value]
    assert [(e.actor, e.details["result"]) for e in sign_ins][-2:] == [
        ("rita", "failed"),
        ("rita", "ok"),
    ]


def test_the_trail_filters_by_app_and_decision(site: Site, chrome: webdriver.Chrome) -> None:
    signed_in(chrome, site, "vera")
    chrome.find_element(By.LINK_TEXT, EN["records"]).click()
    on_page(chrome, "/console/records")
    chrome.find_element(By.ID, "f-since").send_keys(today().strftime("%m%d%Y"), Keys.ENTER)
    wait_for(chrome, lambda d: f"since={today().date().isoformat()}" in d.current_url)
    everything = table_rows(chrome)
    assert len(everything) == len(TRAFFIC)
    assert {row[EN["app"]] for row in everything} == {"support", "hr"}

    chrome.find_element(By.ID, "f-app").send_keys("hr")
    Select(chrome.find_element(By.ID, "f-decision")).select_by_value("blocked")
    chrome.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    wait_for(chrome, lambda d: "decision=blocked" in d.current_url)
    [blocked] = table_rows(chrome)
    assert (blocked[EN["app"]], blocked[EN["decision"]]) == ("hr", "blocked")
    assert "IBAN_CODE=1" in blocked[EN["entities"]]
    assert chrome.find_element(By.ID, "f-app").get_attribute("value") == "hr", "filters kept"

    chrome.find_element(By.ID, "f-app").clear()
    chrome.find_element(By.ID, "f-region").send_keys("eu", Keys.ENTER)
    wait_for(chrome, lambda d: "region=eu" in d.current_url)
    assert table_rows(chrome) == [], "nothing sent to the EU was blocked"
    assert EN["no_records"] in chrome.find_element(By.TAG_NAME, "main").text
    Select(chrome.find_element(By.ID, "f-decision")).select_by_value("")
    chrome.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    wait_for(chrome, lambda d: "decision=&" in d.current_url or "decision=" not in d.current_url)
    eu = table_rows(chrome)
    assert sorted((row[EN["app"]], row[EN["provider"]]) for row in eu) == [
        ("hr", "mistral"),
        ("support", "mistral"),
    ]


def test_a_record_shows_its_metadata_but_not_its_values(
    site: Site, chrome: webdriver.Chrome
) -> None:
    signed_in(chrome, site, "rita")
    seq = open_record_with(chrome, site, entity="PHONE_NUMBER")
    assert heading(chrome) == f"{EN['record']} #{seq}"
    fields = metadata(chrome)
    assert (fields["app"], fields["provider"], fields["region"]) == ("support", "mistral", "eu")
    assert "PHONE_NUMBER" in fields["entity_counts"]
    assert "Marie Curie" not in chrome.page_source
    assert "+33 6 98 76 54 32" not in chrome.page_source
    assert chrome.find_element(By.CSS_SELECTOR, "label[for=reason]").text == EN["reason"]


def test_a_reviewer_decrypts_after_a_reason_and_the_access_is_in_the_trail(
    site: Site, chrome: webdriver.Chrome
) -> None:
    signed_in(chrome, site, "rita")
    seq = open_record_with(chrome, site, entity="EMAIL_ADDRESS", app="hr")
    # The reason is required: the browser itself refuses an empty one.
    chrome.find_element(By.CSS_SELECTOR, "form[action$='/decrypt'] button").click()
    time.sleep(0.3)
    assert chrome.current_url.endswith(f"/console/records/{seq}")
    assert chrome.find_elements(By.ID, "payload") == []
    assert not [e for e in site.entries() if e.kind == EntryKind.ACCESS.value]

    chrome.find_element(By.ID, "reason").send_keys(REASON)
    chrome.find_element(By.CSS_SELECTOR, "form[action$='/decrypt'] button").click()
    payload = wait_for(chrome, lambda d: d.find_elements(By.ID, "payload"))[0].text
    assert "Zoë Ångström" in payload
    assert "zoe.angstrom@example.org" in payload
    [access] = [e for e in site.entries() if e.kind == EntryKind.ACCESS.value]
    assert access.actor == "console:rita"
    assert int(seq) in access.details["entries"], "the request's entries, this one included"
    assert site.decrypt(access) == {"reason": REASON}

    chrome.find_element(By.LINK_TEXT, f"#{access.seq}").click()  # the access entry's own page
    on_page(chrome, f"/console/records/{access.seq}")
    fields = metadata(chrome)
    assert (fields["kind"], fields["actor"]) == ("access", "console:rita")
    assert REASON not in chrome.page_source, "the reason is encrypted like any payload"


def test_the_monthly_report_downloads_as_csv_and_json(site: Site, chrome: webdriver.Chrome) -> None:
    signed_in(chrome, site, "vera")
    chrome.find_element(By.LINK_TEXT, EN["report"]).click()
    on_page(chrome, "/console/report")
    month = chrome.find_element(By.ID, "month").get_attribute("value")
    downloads: Path = chrome.downloads  # type: ignore[attr-defined]
    for fmt, label in (("csv", EN["download_csv"]), ("json", EN["download_json"])):
        chrome.find_element(By.XPATH, f"//button[normalize-space()='{label}']").click()
        target = downloads / f"voile-report-{month}.{fmt}"
        try:
            wait_for(chrome, lambda _, t=target: t.exists() and t.stat().st_size > 0, 15)
        except TimeoutException:
            raise AssertionError(f"no {fmt} download: {sorted(downloads.iterdir())}") from None
        text = target.read_text(encoding="utf-8")
        assert "support" in text
        assert "hr" in text
        assert "Jean Dupont" not in text, "the report holds categories and volumes, no values"
    report = json.loads((downloads / f"voile-report-{month}.json").read_text(encoding="utf-8"))
    assert report


def test_a_viewer_never_sees_a_payload_even_with_a_forged_form(
    site: Site, chrome: webdriver.Chrome
) -> None:
    signed_in(chrome, site, "vera")
    seq = open_record_with(chrome, site, entity="EMAIL_ADDRESS", app="hr")
    assert chrome.find_elements(By.ID, "reason") == []
    assert EN["no_decrypt"] in chrome.find_element(By.TAG_NAME, "main").text
    csrf = chrome.find_element(By.CSS_SELECTOR, "input[name=csrf]").get_attribute("value")
    before = len(site.entries())
    # The form a reviewer would get, built in the page: the server still refuses.
    chrome.execute_script(
        """
        const form = document.createElement("form");
        form.method = "post";
        form.action = arguments[0];
        for (const [name, value] of Object.entries(arguments[1])) {
          const input = document.createElement("input");
          input.type = "hidden"; input.name = name; input.value = value;
          form.appendChild(input);
        }
        document.body.appendChild(form);
        form.submit();
        """,
        f"/console/records/{seq}/decrypt",
        {"csrf": csrf, "reason": "curious"},
    )
    wait_for(chrome, lambda d: d.current_url.endswith("/decrypt"))
    assert heading(chrome) == EN["forbidden"]
    assert "Zoë" not in chrome.page_source
    assert len(site.entries()) == before, "no access entry: nothing was decrypted"


def tiles(driver: webdriver.Chrome) -> dict[str, int]:
    return {
        tile.find_element(By.TAG_NAME, "dt").text: int(tile.find_element(By.TAG_NAME, "dd").text)
        for tile in driver.find_elements(By.CSS_SELECTOR, "dl.tiles div")
    }


def chart_titles(driver: webdriver.Chrome, chart: str) -> list[str]:
    """The tooltips of a chart's bars and points."""
    return [
        str(title.get_attribute("textContent"))
        for title in driver.find_elements(
            By.CSS_SELECTOR,
            f"#{chart}-heading ~ svg rect > title, #{chart}-heading ~ svg circle > title",
        )
    ]


def test_the_dashboard_charts_the_period_per_app_and_destination(
    site: Site, chrome: webdriver.Chrome
) -> None:
    signed_in(chrome, site, "vera")
    assert tiles(chrome)[EN["requests"]] == len(site.history) + len(TRAFFIC)
    assert tiles(chrome)[EN["blocked"]] == 1 + sum(e.decision == "blocked" for e in site.history)
    shadowed = sum("shadow" in e.details for e in site.history)
    assert tiles(chrome)[EN["shadowed"]] == 1 + shadowed, "Zoë's request, by the shadow rule"
    figures = chrome.find_elements(By.CSS_SELECTOR, "figure.chart")
    assert len(figures) == 7
    for figure in figures:  # each chart an image with a name and a description
        svg = figure.find_element(By.CSS_SELECTOR, "svg[role=img]")
        named_by = str(svg.get_attribute("aria-labelledby")).split()
        assert len(named_by) == 2
        assert all(chrome.find_element(By.ID, i).get_attribute("textContent") for i in named_by)
    label = today().strftime("%b %d")
    assert f"{label} · {EN['blocked']}: 1" in chart_titles(chrome, "decisions")
    assert f"{label} · mistral (eu): 2" in chart_titles(chrome, "destinations")
    assert f"{label} · {EN['would_block']}: 1" in chart_titles(chrome, "shadow")
    assert any(t.startswith(f"{label} · {EN['p50']}: ") for t in chart_titles(chrome, "detection"))

    # The hr app over 7 days, chosen with the keyboard.
    week = today() - timedelta(days=6)
    Select(chrome.find_element(By.ID, "d-period")).select_by_value("7d")
    Select(chrome.find_element(By.ID, "d-app")).select_by_visible_text("hr")
    chrome.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").send_keys(Keys.ENTER)
    wait_for(chrome, lambda d: "period=7d" in d.current_url and "app=hr" in d.current_url)
    hr_week = [e for e in site.history if e.app == "hr" and e.occurred_at >= week]
    assert tiles(chrome)[EN["requests"]] == len(hr_week) + 2
    assert chrome.find_element(By.ID, "d-app").get_attribute("value") == "hr", "filters kept"
    assert {t.split(" · ")[1].split(":")[0] for t in chart_titles(chrome, "apps")} == {"hr"}

    # Each chart's data as a table, opened from the keyboard.
    summary = chrome.find_element(By.CSS_SELECTOR, "#decisions-heading ~ details > summary")
    summary.send_keys(Keys.ENTER)
    table = chrome.find_element(By.CSS_SELECTOR, "#decisions-heading ~ details table")
    wait_for(chrome, lambda _: table.is_displayed())
    cells = [
        [int(td.text) for td in row.find_elements(By.TAG_NAME, "td")]
        for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")
    ]
    assert len(cells) == 7
    assert sum(map(sum, cells)) == len(hr_week) + 2

    # From a row of the app-and-destination table to the same requests in the trail.
    pair = chrome.find_element(
        By.XPATH, "//table[@aria-labelledby='pairs']//tr[th='hr'][td/a='openai (us)']"
    )
    requests = int(pair.find_elements(By.TAG_NAME, "td")[1].text)
    pair.find_element(By.LINK_TEXT, "openai (us)").click()
    on_page(chrome, "/console/records")
    rows = table_rows(chrome)
    assert len(rows) == requests
    assert {(r[EN["app"]], r[EN["provider"]], r[EN["region"]]) for r in rows} == {
        ("hr", "openai", "us")
    }

    chrome.get(f"{site.admin}/console/?lang=fr")
    assert heading(chrome) == MESSAGES["fr"]["dashboard"]
    assert chrome.find_element(By.ID, "decisions-heading").text == MESSAGES["fr"]["chart_decisions"]
    french = today().strftime("%d/%m")
    assert f"{french} · {MESSAGES['fr']['blocked']}: 1" in chart_titles(chrome, "decisions")
    chrome.get(f"{site.admin}/console/?lang=en")


def test_a_security_admin_tries_a_text_against_the_policies(
    site: Site, chrome: webdriver.Chrome
) -> None:
    """The policies page from the menu, the form filled with the keyboard: the detections and
    the text as the provider would see it; an app whose policy blocks IBANs is blocked."""
    signed_in(chrome, site, "sam")
    chrome.find_element(By.LINK_TEXT, EN["policies"]).click()
    on_page(chrome, "/console/policies")
    assert heading(chrome) == EN["policies"]
    assert len(chrome.find_element(By.ID, "version").text) == 64
    Select(chrome.find_element(By.ID, "trial-app")).select_by_visible_text("support")
    Select(chrome.find_element(By.ID, "trial-provider")).select_by_visible_text("mistral")
    chrome.find_element(By.ID, "trial-text").send_keys("Write to zoe.angstrom@example.org")
    chrome.find_element(By.CSS_SELECTOR, "form[action^='/console/policies/test'] button").click()
    masked = wait_for(chrome, lambda d: d.find_elements(By.ID, "masked"))[0].text
    assert masked.startswith("Write to <EMAIL_ADDRESS_")
    assert "EMAIL_ADDRESS" in chrome.find_element(By.ID, "result").text

    Select(chrome.find_element(By.ID, "trial-app")).select_by_visible_text("hr")
    text = chrome.find_element(By.ID, "trial-text")
    text.clear()
    text.send_keys("IBAN FR76 3000 6000 0112 3456 7890 189")
    chrome.find_element(By.CSS_SELECTOR, "form[action^='/console/policies/test'] button").click()
    wait_for(chrome, lambda d: EN["trial_blocked"] in d.find_element(By.ID, "result").text)
    assert chrome.find_elements(By.ID, "masked") == []

    signed_in(chrome, site, "vera")
    chrome.get(f"{site.admin}/console/policies")
    assert heading(chrome) == EN["policies"]
    assert chrome.find_elements(By.ID, "trial-text") == [], "a viewer has no policy test form"


def test_screenshots_of_the_dashboard_and_a_record(
    site: Site, chrome: webdriver.Chrome, tmp_path: Path
) -> None:
    """Taken on every run; kept in `$VOILE_CONSOLE_SCREENSHOTS` (the README's) when set."""
    signed_in(chrome, site, "rita")
    shots = {"console-dashboard.png": f"{site.admin}/console/"}
    seq = open_record_with(chrome, site, entity="PHONE_NUMBER")
    shots["console-record.png"] = f"{site.admin}/console/records/{seq}"
    keep = os.environ.get("VOILE_CONSOLE_SCREENSHOTS")
    for name, url in shots.items():
        chrome.get(url)
        height = 900
        for _ in range(2):  # the whole page in the viewport (its height depends on the width)
            chrome.execute_cdp_cmd(
                "Emulation.setDeviceMetricsOverride",
                {"width": 1280, "height": height, "deviceScaleFactor": 1, "mobile": False},
            )
            height = min(2400, int(chrome.execute_script("return document.body.scrollHeight")))
        path = tmp_path / name
        try:
            assert chrome.save_screenshot(str(path))
        finally:
            chrome.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        data = path.read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        assert len(data) > 10_000, "a page, not a blank"
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, Path(keep) / name)
