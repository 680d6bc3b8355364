"""A bounded soak of Voile on both audit stores: is every answer restored exactly, does the
provider never see a planted value, is every request audited, do memory and open files stay
flat?

    .venv/bin/python bench/soak.py [--quick] [--requests N] [--concurrency 16,32]
                                   [--stores sqlite,postgresql] [--json FILE]

For each audit store (SQLite, the default file in the data directory; PostgreSQL, a schema
of its own on the local server, dropped afterwards) the soak starts the echoing fake OpenAI
provider (`fake_upstream.py --record`: it appends every request it receives to a file) and
`voile serve` with a generated config: two apps (two app keys), the bundled `default` policy.
It then drives Voile with the official `openai` SDK from four identities (two apps x two end
users named by the `x-voile-end-user` header; the same two end-user ids in both apps):

- a warm-up (untimed), then `--requests` requests at each `--concurrency`, half streamed
  and half not, interleaved; every request has its own personal data (a numbered e-mail
  address and phone number, an IBAN drawn for it, a name and a postal address), in English
  or French, in the system prompt and in the user message;
- the fake echoes the last user message, so each answer must come back equal to the prompt,
  byte for byte, streamed or not: anything else is a wrong restoration, classified (a value
  of another request, a placeholder left, another difference);
- afterwards, every request body the provider received is searched for that request's
  planted values (each request's `model` is `soak-<phase>-<serial>`, which names it);
- the audit trail is read back through the compliance officer's CLI with the run's config
  (`voile audit export`, per app and end user too, and `voile audit verify`): one outcome per
  request sent, with its request id, app and end user, no intent left without outcome;
- the RSS, open file descriptors and threads of Voile's process and of its children (the
  detection workers) are read from /proc before the warm-up, after it, at each quarter of
  each phase, after 5 s idle and after the clients closed their connections.

Every loop is bounded in count and time; every process started here is stopped here (see
servers.py); all traffic stays on 127.0.0.1. Report: markdown on stdout, progress on stderr,
`--json FILE` for every figure. See bench/README.md ("Soak") for the method and figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import openai
import yaml
from openai.types.chat import ChatCompletionMessageParam

# `python bench/soak.py` puts bench/ on sys.path, not the repository root that holds it.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import latency, prompts, reference, servers

APPS = ("soak-a", "soak-b")
END_USERS = ("u1", "u2")
IDENTITIES = [(app, user) for app in APPS for user in END_USERS]
END_USER_HEADER = "x-voile-end-user"
PROVIDER_KEY = "sk-bench-not-a-real-key"  # what servers.launch_voile puts in the environment
TOKEN = re.compile(r"<[A-Z][A-Z0-9_]{0,39}_[a-z2-9]{6}>")  # proxy.placeholders' grammar
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
CLI_TIMEOUT = 600.0  # seconds per `voile audit ...` command
# Warnings every first start logs (keys created in the fresh data_dir): not problems.
FIRST_RUN = (*latency.FIRST_RUN_EVENTS, "audit_signing_key_created")


@dataclass(frozen=True)
class Settings:
    requests: int = 3000  # per phase (store x concurrency)
    concurrencies: tuple[int, ...] = (16, 32)
    warmup: int = 64  # untimed requests before the first phase (checked like the others)
    warmup_concurrency: int = 8
    stores: tuple[str, ...] = ("sqlite", "postgresql")
    workers: int | None = None  # detection.workers; None: Voile's default
    request_timeout: float = 60.0  # one request, stream included
    phase_seconds: float = 1200.0  # a phase stops starting requests after this
    startup_timeout: float = 180.0
    idle_seconds: float = 5.0  # quiet time before the "idle" sample


QUICK = Settings(requests=120, warmup=16, phase_seconds=300.0)


# ---- the requests ------------------------------------------------------------------------

EN_FILLER = [
    "The team agreed to move the quarterly review to the first week of next month.",
    "Nothing else is pending on our side; the contract stays as it is for now.",
    "Please keep the ticket open until the customer confirms.",
    "Thanks in advance for handling this quickly.",
]
FR_FILLER = [
    "L'équipe a décidé de repousser la revue trimestrielle à la première semaine du mois prochain.",
    "Rien d'autre n'est en attente de notre côté ; le contrat reste en l'état.",
    "Merci de laisser le dossier ouvert jusqu'à la confirmation du client.",
    "Merci d'avance pour votre réactivité.",
]


@dataclass(frozen=True)
class Plant:
    """One request: who sends it, how, and the personal data planted in it."""

    serial: int
    identity: int  # index in IDENTITIES
    stream: bool
    language: str
    system: str
    prompt: str
    values: dict[str, str]  # type -> value, each present in the prompt

    @property
    def app(self) -> str:
        return IDENTITIES[self.identity][0]

    @property
    def end_user(self) -> str:
        return IDENTITIES[self.identity][1]

    def messages(self) -> list[ChatCompletionMessageParam]:
        return [
            {"role": "system", "content": self.system},
            {"role": "user", "content": self.prompt},
        ]


def _ascii(text: str) -> str:
    for accented, plain in zip("éèêëàçôöïÉ", "eeeeacooiE", strict=True):
        text = text.replace(accented, plain)
    return text.lower()


def make_plant(serial: int) -> Plant:
    """Request `serial`, deterministic: identities in turn, stream every other group of four
    (so each identity sends both), language every other group of eight. The e-mail address and
    the phone number carry the serial (unique within a run), the IBAN is drawn for it."""
    identity = serial % len(IDENTITIES)
    stream = (serial // len(IDENTITIES)) % 2 == 1
    language = prompts.LANGUAGES[(serial // 8) % len(prompts.LANGUAGES)]
    rng = random.Random(f"soak-{serial}")
    app, user = IDENTITIES[identity]
    tag = f"{app[-1]}{user[-1]}"  # e.g. a1: whose value it is, readable in a wrong answer
    if language == "en":
        first, last = rng.choice(prompts.EN_FIRST), rng.choice(prompts.EN_LAST)
        domain, company = rng.choice(prompts.EN_DOMAINS), rng.choice(prompts.EN_COMPANIES)
        phone = f"+44 20 7{serial // 10_000 % 1000:03d} {serial % 10_000:04d}"
        iban = prompts.iban(rng, "GB")
    else:
        first, last = rng.choice(prompts.FR_FIRST), rng.choice(prompts.FR_LAST)
        domain, company = rng.choice(prompts.FR_DOMAINS), rng.choice(prompts.FR_COMPANIES)
        digits = f"{serial % 10**8:08d}"
        phone = "06 " + " ".join(digits[i : i + 2] for i in range(0, 8, 2))
        iban = prompts.iban(rng, "FR")
    name = f"{first} {last}"
    email = f"{_ascii(first)}.{_ascii(last)}.{tag}{serial:06d}@{domain}"
    address = prompts.address(rng, language)
    filler = " ".join(rng.sample(EN_FILLER if language == "en" else FR_FILLER, 2))
    if language == "en":
        system = (
            f"You are the support assistant of {company}. The customer writing is {name} ({email})."
        )
        prompt = (
            f"Hello team, please update the billing contact for {company} to {name} "
            f"({email}, {phone}). The refund should be wired to IBAN {iban}. Ship the "
            f"replacement laptop to {name}, {address}. {filler}"
        )
    else:
        system = (
            f"Tu es l'assistant du support de {company}. Le client qui écrit est {name} ({email})."
        )
        prompt = (
            f"Bonjour à tous, merci de mettre à jour le contact de facturation de "
            f"{company} : {name} ({email}, tél. {phone}). Le remboursement est à verser "
            f"sur l'IBAN {iban}. Envoyez l'ordinateur de remplacement à {name}, "
            f"{address}. {filler}"
        )
    values = {
        "PERSON": name,
        "EMAIL_ADDRESS": email,
        "PHONE_NUMBER": phone,
        "IBAN_CODE": iban,
        "ADDRESS": address,
    }
    return Plant(serial, identity, stream, language, system, prompt, values)


def make_plants(count: int) -> list[Plant]:
    """Every request of one store's run; the unique values are checked to be unique."""
    plants = [make_plant(serial) for serial in range(count)]
    for kind in ("EMAIL_ADDRESS", "PHONE_NUMBER", "IBAN_CODE"):
        values = [plant.values[kind] for plant in plants]
        if len(set(values)) != len(values):
            raise SystemExit(
                f"{kind} values are not unique over {count} requests: use fewer requests"
            )
    return plants


def model_name(phase: str, serial: int) -> str:
    """Each request's `model` names it; the fake and the audit trail both record it."""
    return f"soak-{phase}-{serial:06d}"


def serial_of(model: object) -> int | None:
    if isinstance(model, str) and model.startswith("soak-"):
        with contextlib.suppress(ValueError):
            return int(model.rsplit("-", 1)[1])
    return None


# ---- the client ---------------------------------------------------------------------------


@dataclass
class Result:
    serial: int
    phase: str
    stream: bool
    ms: float
    ttft_ms: float | None = None
    request_id: str | None = None
    status: int | None = None
    error: str | None = None
    wrong: str | None = None  # how the answer differed from the prompt, if it did


@dataclass
class WrongAnswers:
    """Answers not restored exactly; a few examples are kept in full detail."""

    kinds: Counter[str] = field(default_factory=Counter)
    examples: list[dict[str, Any]] = field(default_factory=list)


def judge(plant: Plant, answer: str, owners: dict[str, int], wrong: WrongAnswers) -> str | None:
    """None if `answer` is the prompt exactly; else what is wrong with it (and an example)."""
    if answer == plant.prompt:
        return None
    foreign = sorted(
        {
            owners[email]
            for email in EMAIL.findall(answer)
            if email in owners and owners[email] != plant.serial
        }
    )
    if foreign:
        others = {IDENTITIES[other % len(IDENTITIES)] for other in foreign}
        if any(app != plant.app for app, _ in others):
            kind = "value of another app's request"
        elif any(user != plant.end_user for _, user in others):
            kind = "value of another end user's request"
        else:
            kind = "value of another request (same app and end user)"
    elif TOKEN.search(answer):
        kind = "placeholder left in the answer"
    else:
        kind = "other difference"
    wrong.kinds[kind] += 1
    if len(wrong.examples) < 5:
        at = next(
            (i for i, (a, b) in enumerate(zip(answer, plant.prompt, strict=False)) if a != b),
            min(len(answer), len(plant.prompt)),
        )
        wrong.examples.append(
            {
                "serial": plant.serial,
                "stream": plant.stream,
                "kind": kind,
                "foreign_serials": foreign[:5],
                "at": at,
                "expected": plant.prompt[max(0, at - 40) : at + 60],
                "got": answer[max(0, at - 40) : at + 60],
            }
        )
    return kind


async def send(
    client: openai.AsyncOpenAI,
    plant: Plant,
    phase: str,
    seconds: float,
    owners: dict[str, int],
    wrong: WrongAnswers,
) -> Result:
    """One request through Voile; never raises (errors are counted in the result)."""
    result = Result(plant.serial, phase, plant.stream, 0.0)
    started = time.perf_counter()
    model = model_name(phase, plant.serial)
    create = client.chat.completions.with_raw_response.create
    try:
        async with asyncio.timeout(seconds):
            if plant.stream:
                raw = await create(model=model, messages=plant.messages(), stream=True)
                result.request_id = raw.headers.get("x-voile-request-id")
                result.status = raw.status_code
                parts: list[str] = []
                async for chunk in raw.parse():
                    text = chunk.choices[0].delta.content if chunk.choices else None
                    if text:
                        if result.ttft_ms is None:
                            result.ttft_ms = (time.perf_counter() - started) * 1000
                        parts.append(text)
                answer = "".join(parts)
            else:
                raw_json = await create(model=model, messages=plant.messages())
                result.request_id = raw_json.headers.get("x-voile-request-id")
                result.status = raw_json.status_code
                answer = raw_json.parse().choices[0].message.content or ""
        result.wrong = judge(plant, answer, owners, wrong)
    except openai.APIStatusError as error:
        result.status = error.status_code
        result.request_id = error.response.headers.get("x-voile-request-id")
        body = error.body if isinstance(error.body, dict) else {}
        result.error = f"{error.status_code} {body.get('code') or type(error).__name__}"
    except Exception as error:  # a soak counts every failure and goes on
        result.error = type(error).__name__
    result.ms = (time.perf_counter() - started) * 1000
    return result


# ---- /proc --------------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError):
                found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _status(pid: int) -> dict[str, int]:
    values: dict[str, int] = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "Threads"):
                values[key] = int(rest.split()[0])
    return values


def _role(pid: int, leader: int) -> str:
    if pid == leader:
        return "main"
    with contextlib.suppress(OSError):
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        if "resource_tracker" in cmdline:
            return "resource tracker"
    return "worker"


def sample_processes(leader: int, label: str, done: int) -> dict[str, Any]:
    """RSS (MB), open file descriptors and threads of Voile and all its descendants."""
    processes: list[dict[str, Any]] = []
    pending, seen = [leader], set[int]()
    while pending and len(seen) < 64:
        pid = pending.pop()
        if pid in seen:
            continue
        seen.add(pid)
        status = _status(pid)
        if not status:
            continue
        fds = -1
        with contextlib.suppress(OSError):
            fds = len(os.listdir(f"/proc/{pid}/fd"))
        processes.append(
            {
                "pid": pid,
                "role": _role(pid, leader),
                "rss_mb": status.get("VmRSS", 0) / 1024,
                "fds": fds,
                "threads": status.get("Threads", 0),
            }
        )
        pending += _children(pid)
    main = [p for p in processes if p["role"] == "main"]
    others = [p for p in processes if p["role"] != "main"]
    return {
        "label": label,
        "done": done,
        "processes": processes,
        "rss_main_mb": sum(p["rss_mb"] for p in main),
        "rss_children_mb": sum(p["rss_mb"] for p in others),
        "fds_main": sum(p["fds"] for p in main),
        "fds_children": sum(p["fds"] for p in others),
        "threads_main": sum(p["threads"] for p in main),
        "children": len(others),
        "worker_pids": sorted(p["pid"] for p in others if p["role"] == "worker"),
    }


# ---- one store ----------------------------------------------------------------------------


@dataclass
class Drive:
    """What the client side of one store's run saw."""

    results: list[Result] = field(default_factory=list)
    phases: dict[str, dict[str, Any]] = field(default_factory=dict)
    samples: list[dict[str, Any]] = field(default_factory=list)
    wrong: WrongAnswers = field(default_factory=WrongAnswers)


def summarise(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"p50": None, "p95": None, "p99": None}
    return {
        "p50": statistics.median(values),
        "p95": reference.percentile(values, 95),
        "p99": reference.percentile(values, 99),
    }


async def run_phase(
    name: str,
    plants: list[Plant],
    concurrency: int,
    clients: list[openai.AsyncOpenAI],
    settings: Settings,
    drive: Drive,
    owners: dict[str, int],
    on_progress: Callable[[int], None],
) -> None:
    """`concurrency` clients send `plants` back to back (each request once), until all are
    sent or `phase_seconds` pass."""
    pending = iter(plants)
    results: list[Result] = []
    deadline = time.monotonic() + settings.phase_seconds

    async def one_client() -> None:
        while time.monotonic() < deadline:
            plant = next(pending, None)
            if plant is None:
                return
            result = await send(
                clients[plant.identity], plant, name, settings.request_timeout, owners, drive.wrong
            )
            results.append(result)
            on_progress(len(results))

    started = time.perf_counter()
    await asyncio.gather(*(one_client() for _ in range(concurrency)))
    seconds = time.perf_counter() - started
    drive.results += results
    ok = [r for r in results if r.error is None]
    drive.phases[name] = {
        "concurrency": concurrency,
        "planned": len(plants),
        "sent": len(results),
        "ok": len(ok),
        "errors": dict(Counter(r.error for r in results if r.error)),
        "wrong": sum(r.wrong is not None for r in results),
        "seconds": seconds,
        "rps": len(ok) / seconds if seconds else 0.0,
        "all_ms": summarise([r.ms for r in ok]),
        "json_ms": summarise([r.ms for r in ok if not r.stream]),
        "stream_ms": summarise([r.ms for r in ok if r.stream]),
        "ttft_ms": summarise([r.ttft_ms for r in ok if r.ttft_ms is not None]),
    }


async def drive_voile(
    voile: servers.Server, keys: dict[str, str], plants: list[Plant], settings: Settings
) -> Drive:
    """Warm-up, then one phase per concurrency; /proc samples along the way."""
    drive = Drive()
    leader = voile.process.pid
    owners = {plant.values["EMAIL_ADDRESS"]: plant.serial for plant in plants}
    clients = [
        openai.AsyncOpenAI(
            base_url=f"{voile.base_url}/openai/v1",
            api_key=keys[app],
            max_retries=0,
            timeout=settings.request_timeout,
            default_headers={END_USER_HEADER: user},
        )
        for app, user in IDENTITIES
    ]
    done = 0

    def sample(label: str) -> None:
        drive.samples.append(sample_processes(leader, label, done))

    try:
        sample("boot")
        warm, rest = plants[: settings.warmup], plants[settings.warmup :]
        await run_phase(
            "warmup",
            warm,
            settings.warmup_concurrency,
            clients,
            settings,
            drive,
            owners,
            lambda _: None,
        )
        done = len(drive.results)
        sample("start")
        for index, concurrency in enumerate(settings.concurrencies):
            name = f"c{concurrency}"
            chunk = rest[index * settings.requests : (index + 1) * settings.requests]
            marks = {max(1, len(chunk) * q // 4): f"{name} {25 * q}%" for q in (1, 2, 3, 4)}
            base = done

            def progress(count: int, base: int = base, marks: dict[int, str] = marks) -> None:
                nonlocal done
                done = base + count
                if count in marks:
                    sample(marks[count])

            await run_phase(name, chunk, concurrency, clients, settings, drive, owners, progress)
            done = len(drive.results)
            print(
                f"    {name}: {drive.phases[name]['ok']} ok, {drive.phases[name]['rps']:.1f} req/s",
                file=sys.stderr,
            )
        await asyncio.sleep(settings.idle_seconds)
        sample(f"idle {settings.idle_seconds:.0f}s")
    finally:
        for client in clients:
            await client.close()
    await asyncio.sleep(2.0)
    sample("clients closed")
    return drive


@contextlib.contextmanager
def audit_url(store: str) -> Iterator[str | None]:
    """None for SQLite (Voile's default file in its data dir); for PostgreSQL a fresh schema
    on the local server (selected through the URL's search_path), dropped afterwards."""
    if store == "sqlite":
        yield None
        return
    with servers.postgres_schema("voile_soak") as url:
        yield url


def write_config(
    workdir: Path,
    upstream: str,
    keys: dict[str, str],
    port: int,
    url: str | None,
    workers: int | None,
) -> Path:
    config: dict[str, Any] = {
        "listen": {"host": "127.0.0.1", "port": port},
        "data_dir": str(workdir / "voile-data"),
        "providers": {"openai": {"base_url": upstream, "api_key_env": servers.PROVIDER_KEY_ENV}},
        "apps": [{"name": app, "key": keys[app], "policy": "default"} for app in APPS],
        "log_level": "info",
    }
    if workers is not None:
        config["detection"] = {"workers": workers}
    if url is not None:
        config["audit"] = {"url": url}
    path = workdir / "voile.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def check_upstream(
    record: Path, plants: list[Plant], keys: dict[str, str], sent: set[int]
) -> dict[str, Any]:
    """What the provider received: each request once, none of its planted values, the
    provider key and never an app key."""
    by_serial: Counter[int] = Counter()
    leaks: Counter[str] = Counter()
    leak_examples: list[dict[str, Any]] = []
    placeholders, bad_auth, app_key_seen, end_user_header, unknown = 0, 0, 0, 0, 0
    lines = record.read_text(encoding="utf-8").splitlines() if record.exists() else []
    for line in lines:
        received = json.loads(line)
        try:
            body = json.loads(received["body"])
        except ValueError:
            unknown += 1
            continue
        serial = serial_of(body.get("model"))
        if serial is None or not 0 <= serial < len(plants):
            unknown += 1
            continue
        by_serial[serial] += 1
        text = json.dumps(body, ensure_ascii=False)
        placeholders += len(TOKEN.findall(text))
        for kind, value in plants[serial].values.items():
            if value in text:
                leaks[kind] += 1
                if len(leak_examples) < 10:
                    leak_examples.append({"serial": serial, "type": kind, "value": value})
        headers = {k.lower(): v for k, v in received["headers"].items()}
        bad_auth += headers.get("authorization") != f"Bearer {PROVIDER_KEY}"
        app_key_seen += any(key in line for key in keys.values())
        end_user_header += END_USER_HEADER in headers
    return {
        "bodies": len(lines),
        "unknown": unknown,
        "sent_not_received": len(sent - set(by_serial)),
        "received_more_than_once": sum(n > 1 for n in by_serial.values()),
        "planted_values": len(plants[0].values) * len(by_serial),
        "leaks": dict(leaks),
        "leak_examples": leak_examples,
        "placeholders": placeholders,
        "bad_authorization": bad_auth,
        "app_key_seen": app_key_seen,
        "end_user_header_forwarded": end_user_header,
    }


def voile_cli(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    return subprocess.run(
        [*servers.voile_command(env), "audit", *args, "--config", str(config)],
        env=env,
        cwd=config.parent,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT,
        check=False,
    )


def export(config: Path, *args: str) -> list[dict[str, Any]]:
    done = voile_cli(config, "export", "--format", "jsonl", *args)
    if done.returncode != 0:
        raise RuntimeError(
            f"voile audit export {' '.join(args)} failed ({done.returncode}):"
            f"\n{done.stderr[-2000:]}"
        )
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def check_audit(config: Path, plants: list[Plant], drive: Drive) -> dict[str, Any]:
    """The trail, read back with the compliance officer's CLI and the run's config."""
    started = time.monotonic()
    entries = export(config)
    kinds = Counter(str(e.get("kind")) for e in entries)
    outcomes = [e for e in entries if e.get("kind") == "outcome"]
    intents = {e.get("request_id") for e in entries if e.get("kind") == "intent"}
    outcome_ids = Counter(e.get("request_id") for e in outcomes)
    by_serial: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for entry in outcomes:
        serial = serial_of(entry.get("model"))
        if serial is not None:
            by_serial[serial].append(entry)
    sent = {r.serial: r for r in drive.results}
    wrong_app = wrong_id = not_forwarded = 0
    for serial, result in sent.items():
        records = by_serial.get(serial, [])
        if len(records) != 1:
            continue
        record = records[0]
        wrong_app += record.get("app") != plants[serial].app
        wrong_id += result.request_id is not None and record.get("request_id") != result.request_id
        not_forwarded += result.error is None and (
            record.get("decision") != "forwarded" or record.get("status") != 200
        )
    client_ids = {r.request_id for r in drive.results if r.request_id}
    # Per app and end user: exactly that identity's requests, under one hash of its own.
    identities: dict[str, Any] = {}
    hashes: dict[str, set[str]] = {}
    for index, (app, user) in enumerate(IDENTITIES):
        rows = export(config, "--requests", "--app", app, "--end-user", user)
        got = {s for row in rows if (s := serial_of(row.get("model"))) is not None}
        expected = {serial for serial in sent if plants[serial].identity == index}
        hashes[f"{app}/{user}"] = {str(row.get("end_user_hash")) for row in rows}
        identities[f"{app}/{user}"] = {
            "expected": len(expected),
            "found": len(got),
            "missing": len(expected - got),
            "foreign": len(got - expected),
        }
    distinct_hashes = len({h for found in hashes.values() for h in found})
    verify = voile_cli(config, "verify", "--json")
    report: dict[str, Any] = {}
    with contextlib.suppress(ValueError):
        report = json.loads(verify.stdout)
    return {
        "entries": len(entries),
        "kinds": dict(kinds),
        "requests_sent": len(sent),
        "outcomes": len(outcomes),
        "serials_without_one_outcome": sum(len(by_serial.get(s, [])) != 1 for s in sent),
        "outcomes_for_unknown_serials": sum(len(v) for s, v in by_serial.items() if s not in sent),
        "duplicate_outcomes": sum(n - 1 for n in outcome_ids.values() if n > 1),
        "incomplete_intents": len(intents - set(outcome_ids)),
        "client_request_ids": len(client_ids),
        "client_ids_without_outcome": len(client_ids - set(outcome_ids)),
        "wrong_app": wrong_app,
        "wrong_request_id": wrong_id,
        "ok_requests_not_forwarded_200": not_forwarded,
        "identities": identities,
        "hash_per_identity": {k: len(v) for k, v in hashes.items()},
        "distinct_end_user_hashes": distinct_hashes,
        "verify_exit": verify.returncode,
        "verify_ok": report.get("ok"),
        "verify_report": {k: v for k, v in report.items() if not isinstance(v, list | dict)},
        "verify_tail": (verify.stdout + verify.stderr)[-1500:] if verify.returncode else "",
        "cli_seconds": time.monotonic() - started,
    }


def voile_timings(log_path: Path) -> dict[str, Any]:
    """Voile's own view, per phase: statuses, and p50 of the stages it times."""
    phases: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    statuses: dict[str, Counter[str]] = defaultdict(Counter)
    for record in servers.log_records(log_path):
        model = record.get("model")
        if record.get("event") != "request" or not isinstance(model, str):
            continue
        phase = model.split("-")[1] if model.startswith("soak-") else "other"
        statuses[phase][str(record.get("status"))] += 1
        if isinstance(record.get("duration_ms"), int | float):
            phases[phase]["duration"].append(float(record["duration_ms"]))
        for stage, ms in (record.get("timings_ms") or {}).items():
            if isinstance(ms, int | float):
                phases[phase][stage].append(float(ms))
    return {
        phase: {
            "statuses": dict(statuses[phase]),
            "p50_ms": {stage: statistics.median(v) for stage, v in stages.items() if v},
        }
        for phase, stages in phases.items()
    }


def run_store(store: str, settings: Settings, root: Path) -> dict[str, Any]:
    """Both servers up, drive, both servers down (always), then every check."""
    workdir = root / store
    workdir.mkdir(parents=True, exist_ok=True)
    total = settings.warmup + settings.requests * len(settings.concurrencies)
    plants = make_plants(total)
    record = workdir / "upstream.jsonl"
    record.unlink(missing_ok=True)
    out: dict[str, Any] = {"store": store}
    with audit_url(store) as url:
        max_seconds = settings.phase_seconds * (len(settings.concurrencies) + 1) + 600
        fake = servers.start_fake(workdir, max_seconds, record=record)
        voile: servers.Server | None = None
        try:
            keys = {app: f"vk-soak-{secrets.token_hex(12)}" for app in APPS}
            port = servers.free_port()
            config = write_config(workdir, fake.base_url, keys, port, url, settings.workers)
            voile = servers.launch_voile(workdir, config, port)
            out["startup_s"] = asyncio.run(servers.wait_healthy(voile, settings.startup_timeout))
            print(f"  {store}: voile healthy after {out['startup_s']:.1f}s", file=sys.stderr)
            drive = asyncio.run(drive_voile(voile, keys, plants, settings))
        finally:
            out["stop_s"] = servers.stop(voile) if voile is not None else None
            servers.stop(fake)
        assert voile is not None
        print(f"  {store}: checking the provider's record and the audit trail", file=sys.stderr)
        sent = {r.serial for r in drive.results}
        out["upstream"] = check_upstream(record, plants, keys, sent)
        out["audit"] = check_audit(config, plants, drive)
    out["phases"] = drive.phases
    out["samples"] = drive.samples
    out["wrong"] = {
        "total": sum(r.wrong is not None for r in drive.results),
        "kinds": dict(drive.wrong.kinds),
        "examples": drive.wrong.examples,
    }
    out["requests"] = len(drive.results)
    out["errors"] = dict(Counter(r.error for r in drive.results if r.error))
    out["voile_timings"] = voile_timings(voile.log_path)
    out["log_problems"] = [
        line
        for line in latency.log_problems(voile.log_path)
        if not any(f'"event": "{event}"' in line for event in FIRST_RUN)
    ]
    return out


# ---- report -------------------------------------------------------------------------------


def _ms(summary: dict[str, Any], key: str) -> str:
    return latency.fmt(summary.get(key), 0 if (summary.get(key) or 0) >= 100 else 1)


def _triple(summary: dict[str, Any]) -> str:
    return " / ".join(_ms(summary, key) for key in ("p50", "p95", "p99"))


def growth(samples: list[dict[str, Any]]) -> dict[str, Any]:
    """Start (after warm-up), middle (the sample nearest half of the soak's requests) and
    end (after the last request), and the growth between them."""
    by_label = {s["label"]: s for s in samples}
    soak = [
        s
        for s in samples
        if s["label"] not in ("boot", "start") and not s["label"].startswith(("idle", "clients"))
    ]
    if "start" not in by_label or not soak:
        return {}
    start, end = by_label["start"], soak[-1]
    half = start["done"] + (end["done"] - start["done"]) / 2
    middle = min(soak, key=lambda s: abs(s["done"] - half))

    def total(sample: dict[str, Any]) -> float:
        return float(sample["rss_main_mb"] + sample["rss_children_mb"])

    return {
        "start": start["label"],
        "middle": middle["label"],
        "end": end["label"],
        "rss_mb": [total(start), total(middle), total(end)],
        "rss_first_half_mb": total(middle) - total(start),
        "rss_second_half_mb": total(end) - total(middle),
        "fds_main": [start["fds_main"], middle["fds_main"], end["fds_main"]],
        "fds_children": [start["fds_children"], middle["fds_children"], end["fds_children"]],
        "worker_pids_changed": start["worker_pids"] != end["worker_pids"],
    }


def check_rows(runs: list[dict[str, Any]]) -> list[list[str]]:
    def cell(run: dict[str, Any], name: str) -> str:
        up, audit = run["upstream"], run["audit"]
        if name == "wrong":
            return f"{run['wrong']['total']} of {run['requests']}"
        if name == "leaks":
            return (
                f"{sum(up['leaks'].values())} of {up['planted_values']} "
                f"({up['bodies']} bodies, {up['placeholders']} placeholders)"
            )
        if name == "once":
            return f"{up['sent_not_received']} missing, {up['received_more_than_once']} twice"
        if name == "keys":
            return f"{up['bad_authorization']} bad auth, {up['app_key_seen']} with an app key"
        if name == "count":
            return f"{audit['outcomes']} outcomes / {audit['requests_sent']} requests"
        if name == "exact":
            return (
                f"{audit['serials_without_one_outcome']} not exactly one, "
                f"{audit['client_ids_without_outcome']} ids missing, "
                f"{audit['wrong_app']} wrong app, {audit['incomplete_intents']} incomplete"
            )
        if name == "users":
            missing = sum(v["missing"] + v["foreign"] for v in audit["identities"].values())
            return f"{missing} misplaced, {audit['distinct_end_user_hashes']} distinct hashes"
        if name == "verify":
            verified = audit["verify_report"]
            return (
                f"exit {audit['verify_exit']}, ok={verified.get('ok')}: "
                f"{verified.get('entries', '?')} entries, "
                f"{verified.get('incomplete_requests', '?')} incomplete, "
                f"{verified.get('checkpoints_matched', '?')}/"
                f"{verified.get('checkpoints', '?')} checkpoints matched"
            )
        return ""

    names = [
        ("wrong", "answers not restored exactly (0 expected)"),
        ("leaks", "planted values the provider saw (0 expected)"),
        ("once", "requests that reached the provider not exactly once"),
        ("keys", "provider got its key, never an app key"),
        ("count", "audit outcomes = requests sent"),
        ("exact", "one outcome per request (id, app), no intent without outcome"),
        ("users", "per app and end user: `export --app A --end-user U` = that identity's requests"),
        ("verify", "`voile audit verify`"),
    ]
    return [[label, *(cell(run, name) for run in runs)] for name, label in names]


def report(runs: list[dict[str, Any]], facts: dict[str, Any], settings: Settings) -> str:
    out = [
        "# Voile soak",
        "",
        f"Machine: {facts['nproc']} CPUs, {facts['cpu']}; Python {facts['python']}; openai SDK "
        f"{facts['openai_sdk']}. Load average before: {latency.fmt(facts['load_before'], 2)}; "
        f"other processes used {latency.fmt(facts.get('other_processes_cores'), 2)} cores on "
        "average during the run.",
        f"{settings.warmup} warm-up requests, then {settings.requests} requests per "
        f"concurrency ({', '.join(map(str, settings.concurrencies))}), half streamed; "
        f"detection workers: {settings.workers or 'default'}. Times in ms "
        "(p50 / p95 / p99, nearest rank).",
        "",
        "## Throughput and latency",
        "",
    ]
    rows = []
    for run in runs:
        for name, phase in run["phases"].items():
            if name == "warmup":
                continue
            timings = run["voile_timings"].get(name, {}).get("p50_ms", {})
            rows.append(
                [
                    run["store"],
                    str(phase["concurrency"]),
                    str(phase["sent"]),
                    str(sum(phase["errors"].values())),
                    latency.fmt(phase["rps"]),
                    _triple(phase["all_ms"]),
                    _triple(phase["json_ms"]),
                    _triple(phase["stream_ms"]),
                    _triple(phase["ttft_ms"]),
                    latency.fmt(timings.get("detect")),
                    latency.fmt((timings.get("audit_intent") or 0) + (timings.get("audit") or 0)),
                ]
            )
    out += latency.table(
        [
            "store",
            "clients",
            "requests",
            "errors",
            "req/s",
            "all",
            "non-streamed",
            "streamed (whole)",
            "TTFT",
            "detect p50",
            "audit p50",
        ],
        rows,
    )
    out += ["", "## Memory and open files (Voile's process, and its children)", ""]
    rows = []
    for run in runs:
        for sample in run["samples"]:
            rows.append(
                [
                    run["store"],
                    sample["label"],
                    str(sample["done"]),
                    latency.fmt(sample["rss_main_mb"]),
                    latency.fmt(sample["rss_children_mb"]),
                    str(sample["children"]),
                    str(sample["fds_main"]),
                    str(sample["fds_children"]),
                    str(sample["threads_main"]),
                ]
            )
    out += latency.table(
        [
            "store",
            "sample",
            "requests done",
            "RSS main MB",
            "RSS children MB",
            "children",
            "fds main",
            "fds children",
            "threads main",
        ],
        rows,
    )
    out += [""]
    for run in runs:
        g = run["growth"]
        if g:
            out.append(
                f"- {run['store']}: RSS (all processes) {g['rss_mb'][0]:.0f} -> "
                f"{g['rss_mb'][1]:.0f} -> {g['rss_mb'][2]:.0f} MB at {g['start']} / "
                f"{g['middle']} / {g['end']}: {g['rss_first_half_mb']:+.1f} MB in the first "
                f"half, {g['rss_second_half_mb']:+.1f} MB in the second; fds main "
                f"{' -> '.join(map(str, g['fds_main']))}, children "
                f"{' -> '.join(map(str, g['fds_children']))}"
                + ("; worker pids changed" if g["worker_pids_changed"] else "")
                + "."
            )
    out += ["", "## Checks", ""]
    out += latency.table(["check", *(run["store"] for run in runs)], check_rows(runs))
    for run in runs:
        details = []
        if run["errors"]:
            details.append(f"errors: {run['errors']}")
        if run["wrong"]["total"]:
            details.append(
                f"wrong answers: {run['wrong']['kinds']}; examples: {run['wrong']['examples'][:3]}"
            )
        if run["upstream"]["leaks"]:
            details.append(
                f"leaks by type: {run['upstream']['leaks']}; examples: "
                f"{run['upstream']['leak_examples'][:5]}"
            )
        if run["upstream"]["end_user_header_forwarded"]:
            details.append(
                f"`{END_USER_HEADER}` reached the provider in "
                f"{run['upstream']['end_user_header_forwarded']} requests"
            )
        if run["audit"]["verify_tail"]:
            details.append(f"verify said: {run['audit']['verify_tail']}")
        problems = run["log_problems"]
        details.append(
            f"{len(problems)} distinct Voile log lines at warning or above "
            "(or not JSON)"
            + (": " + "; ".join(f"`{p[:200]}`" for p in problems[:5]) if problems else "")
        )
        out += [
            "",
            f"{run['store']}: startup {latency.fmt(run.get('startup_s'))} s, stop "
            f"{latency.fmt(run.get('stop_s'))} s; " + "; ".join(details) + ".",
        ]
    return "\n".join(out) + "\n"


def passed(run: dict[str, Any]) -> bool:
    up, audit = run["upstream"], run["audit"]
    return (
        run["wrong"]["total"] == 0
        and not up["leaks"]
        and not run["errors"]
        and up["sent_not_received"] == 0
        and up["received_more_than_once"] == 0
        and up["bad_authorization"] == 0
        and up["app_key_seen"] == 0
        and audit["outcomes"] == audit["requests_sent"]
        and audit["serials_without_one_outcome"] == 0
        and audit["client_ids_without_outcome"] == 0
        and audit["wrong_app"] == 0
        and audit["incomplete_intents"] == 0
        and audit["verify_exit"] == 0
        and all(v["missing"] == 0 and v["foreign"] == 0 for v in audit["identities"].values())
        and audit["distinct_end_user_hashes"] == len(IDENTITIES)
    )


# ---- main ---------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Bounded soak of Voile (see bench/README.md).")
    parser.add_argument(
        "--quick", action="store_true", help="120 requests per concurrency, 16 warm-up: a smoke run"
    )
    parser.add_argument(
        "--requests", type=int, help="requests per store and concurrency (default 3000)"
    )
    parser.add_argument("--concurrency", help="comma-separated client counts (default 16,32)")
    parser.add_argument("--stores", help="comma-separated: sqlite,postgresql (default both)")
    parser.add_argument("--warmup", type=int, help="warm-up requests per store (default 64)")
    parser.add_argument(
        "--workers", type=int, help="detection.workers in Voile's config (default: Voile's default)"
    )
    parser.add_argument(
        "--phase-seconds",
        type=float,
        help="a phase stops starting requests after this long (default 1200)",
    )
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="first wait up to this long for the 1-min load average to fall "
        "below --idle-load (shared machines)",
    )
    parser.add_argument("--idle-load", type=float, default=1.0)
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument(
        "--workdir",
        type=Path,
        help="keep configs, data, logs and the "
        "provider's record here instead of a temporary directory",
    )
    return parser.parse_args(argv)


def settings_from(args: argparse.Namespace) -> Settings:
    settings = QUICK if args.quick else Settings()
    changes: dict[str, Any] = {}
    if args.requests:
        changes["requests"] = args.requests
    if args.concurrency:
        changes["concurrencies"] = tuple(int(c) for c in args.concurrency.split(","))
    if args.stores:
        stores = tuple(s.strip() for s in args.stores.split(","))
        if not set(stores) <= {"sqlite", "postgresql"}:
            raise SystemExit("--stores: sqlite and/or postgresql")
        changes["stores"] = stores
    if args.warmup is not None:
        changes["warmup"] = args.warmup
    if args.workers:
        changes["workers"] = args.workers
    if args.phase_seconds:
        changes["phase_seconds"] = args.phase_seconds
    return replace(settings, **changes)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    settings = settings_from(args)
    facts = latency.machine_facts()
    facts["load_before"] = latency.wait_until_idle(args.wait_idle, args.idle_load)
    others = latency.OtherLoad()
    runs = []
    with latency.work_directory(args.workdir) as root:
        for store in settings.stores:
            print(f"soaking {store}...", file=sys.stderr)
            run = run_store(store, settings, root)
            run["growth"] = growth(run["samples"])
            run["passed"] = passed(run)
            runs.append(run)
    facts["other_processes_cores"] = others.cores()
    facts["load_after"] = os.getloadavg()[0]
    print(report(runs, facts, settings))
    if args.json:
        args.json.write_text(
            json.dumps(
                {"machine": facts, "settings": asdict(settings), "runs": runs},
                indent=2,
                ensure_ascii=False,
            )
        )
    return 0 if all(run["passed"] for run in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
