"""The `voile` command: serve, check policies, and read the audit trail.

Every command takes `--config FILE` (or VOILE_CONFIG); without either, the embedded quick-start
configuration is used (SQLite audit and keys under ./voile-data, bundled policies).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from proxy.config import Config, default_config, load_config
from proxy.logging import configure_logging
from proxy.yamlfile import ConfigError


def _config(args: argparse.Namespace) -> Config:
    path = args.config or os.environ.get("VOILE_CONFIG")
    return load_config(Path(path)) if path else default_config()


def cmd_serve(args: argparse.Namespace) -> int:
    from aiohttp import web  # noqa: PLC0415 - keep `voile --help` fast

    from proxy.app import create_app  # noqa: PLC0415

    config = _config(args)
    configure_logging(config.log_level)
    app = create_app(config)
    host = args.host or config.listen.host
    port = args.port if args.port is not None else config.listen.port
    web.run_app(app, host=host, port=port, print=None, access_log=None,
                handler_cancellation=True)
    return 0


def cmd_policy_check(args: argparse.Namespace) -> int:
    from proxy.app import load_runtime_policies  # noqa: PLC0415

    config = _config(args)
    if args.policies_dir:
        config = config.model_copy(update={"policies_dir": Path(args.policies_dir)})
    policies = load_runtime_policies(config)
    for name, policy in sorted(policies.items()):
        rules = ", ".join(f"{r.entity}={r.action.value}" for r in policy.spec.rules)
        languages = ",".join(policy.spec.languages)
        print(f"ok  {name:<20} sha256:{policy.sha256[:12]}  languages={languages}"
              f"  default={policy.spec.default_action.value}  {rules}")
    return 0


def _store(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from proxy.app import open_audit_store  # noqa: PLC0415

    return open_audit_store(_config(args))


def cmd_audit_list(args: argparse.Namespace) -> int:
    from audit.cli import list_records  # noqa: PLC0415

    store = _store(args)
    try:
        return list_records(store, limit=args.limit, app=args.app, provider=args.provider,
                            decision=args.decision, out=sys.stdout, err=sys.stderr)
    finally:
        store.close()


def cmd_audit_show(args: argparse.Namespace) -> int:
    from audit.cli import show_record  # noqa: PLC0415

    store = _store(args)
    try:
        return show_record(store, args.id, out=sys.stdout, err=sys.stderr)
    finally:
        store.close()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="voile",
        description="Data-governance proxy for LLM APIs: masks personal data before it "
        "leaves, restores it in the answer, audits every exchange.",
    )
    config_help = "YAML config file (default: $VOILE_CONFIG, else the embedded quick start)"
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the proxy")
    serve.add_argument("--config", help=config_help)
    serve.add_argument("--host", help="override listen.host")
    serve.add_argument("--port", type=int, help="override listen.port")
    serve.set_defaults(func=cmd_serve)

    policy = commands.add_parser("policy", help="work with policy files")
    policy_commands = policy.add_subparsers(dest="policy_command", required=True,
                                            metavar="COMMAND")
    check = policy_commands.add_parser(
        "check", help="validate every policy (exit 1 with file:line errors if one is invalid)"
    )
    check.add_argument("--config", help=config_help)
    check.add_argument("--policies-dir", help="check this directory instead of the config's")
    check.set_defaults(func=cmd_policy_check)

    audit = commands.add_parser("audit", help="read the audit trail (compliance officers)")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True, metavar="COMMAND")
    listing = audit_commands.add_parser("list", help="list records, newest first (metadata only)")
    listing.add_argument("--config", help=config_help)
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--app")
    listing.add_argument("--provider")
    listing.add_argument("--decision", choices=["forwarded", "blocked", "rejected", "failed"])
    listing.set_defaults(func=cmd_audit_list)
    show = audit_commands.add_parser("show", help="show one record with its decrypted payload")
    show.add_argument("--config", help=config_help)
    show.add_argument("id", type=int)
    show.set_defaults(func=cmd_audit_show)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ConfigError as exc:
        print(f"voile: configuration error:\n{exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
