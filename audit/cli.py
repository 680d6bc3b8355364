"""What the `voile audit` commands print, given a store the proxy's CLI built.

The proxy's CLI resolves the configuration, opens the store and the checkpoint sink; these
functions only do the work, render it and return an exit code, so they are tested by
reading what they wrote. Record fields such as `model` come from clients, so everything
printed has control and bidirectional characters escaped: a record must not be able to
drive the compliance officer's terminal.

Decrypting is never silent: `show_record` (and `export_records` with payloads) first
append an `access` entry naming the reviewer and the reason, and decrypt nothing if that
entry cannot be written.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, TextIO

from audit.chain import time_text
from audit.checkpoints import CheckpointSink, PublicKeys, StoredCheckpoint
from audit.columns import SHOWN_COLUMNS
from audit.errors import AccessNotRecorded, AuditErasedError, AuditError, AuditKeyError
from audit.events import Decision, EntryKind
from audit.models import AuditRecord
from audit.store import AuditStore, RecordFilter
from audit.verify import Report

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
MAX_CELL = 32  # long app or model names are cut so the table stays one line per record
MAX_REASON = 2000
SHOWN_FIELDS = SHOWN_COLUMNS  # an entry's metadata in reading order, then its payload
EXPORT_FIELDS = (*SHOWN_FIELDS, "written_at", "legacy_id", "chain_hash")
# The app of requests refused before an app was identified, in trails written before the
# proxy stopped auditing those refusals (it now only counts them): no app, nothing forwarded.
UNIDENTIFIED_APP = "-"


def list_records(
    store: AuditStore,
    *,
    limit: int = 50,
    app: str | None = None,
    provider: str | None = None,
    model: str | None = None,
    entity: str | None = None,
    decision: Decision | str | None = None,
    kind: EntryKind | str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    end_user_hash: str | None = None,
    incomplete: bool = False,
    out: TextIO,
    err: TextIO | None = None,
) -> int:
    """Print the newest records as a table; entity types with counts, never values."""
    err = err or out
    problem = _check_choice("decision", decision, [m.value for m in Decision]) or _check_choice(
        "kind", kind, [m.value for m in EntryKind]
    )
    if problem:
        print(printable(problem), file=err)
        return EXIT_USAGE
    try:
        records = store.list_records(
            limit,
            app=app,
            provider=provider,
            model=model,
            entity=entity,
            decision=decision,
            kind=kind,
            since=since,
            until=until,
            end_user_hash=end_user_hash,
            incomplete=incomplete,
        )
        hidden = 0
        if kind is None and not incomplete:
            hidden = store.count(
                RecordFilter(incomplete=True, app=app, provider=provider, since=since, until=until)
            )
    except ValueError as exc:  # a bad limit is the caller's mistake, not the store's
        print(printable(str(exc)), file=err)
        return EXIT_USAGE
    except AuditError as exc:
        print(printable(f"audit store error: {exc}"), file=err)
        return EXIT_FAILURE
    if not records:
        print("no audit records", file=out)
    else:
        columns = _REQUEST_COLUMNS if kind is None or EntryKind(kind).is_request else _ENTRY_COLUMNS
        for line in _table(records, columns):
            print(line, file=out)
    if hidden:
        print(
            f"note: {hidden} request(s) have a write-ahead intent but no recorded outcome "
            "(see: voile audit list --incomplete)",
            file=err,
        )
    return EXIT_OK


def show_record(  # noqa: PLR0911 - one exit code per way it can end
    store: AuditStore,
    seq: int,
    *,
    reason: str,
    reviewer: str,
    out: TextIO,
    err: TextIO | None = None,
) -> int:
    """Record who decrypts and why, then print the entry (and its request's other entries'
    payloads) as JSON. An erased or purged payload is reported as such, exit 0; a payload
    no key opens (corrupt, tampered) is exit 1."""
    err = err or out
    reason = reason.strip()
    if not reason:
        print("a reason is required to decrypt an audit record (--reason TEXT)", file=err)
        return EXIT_USAGE
    if len(reason) > MAX_REASON:
        print(f"the reason is limited to {MAX_REASON} characters", file=err)
        return EXIT_USAGE
    try:
        reviewed = store.review(seq, actor=reviewer, reason=reason)
    except AccessNotRecorded as exc:
        print(printable(f"cannot record this access, so nothing was decrypted: {exc}"), file=err)
        return EXIT_FAILURE
    except AuditKeyError as exc:
        print(printable(f"cannot decrypt: {exc} (audit record {seq})"), file=err)
        return EXIT_FAILURE
    except AuditError as exc:
        print(printable(f"audit store error: {exc}"), file=err)
        return EXIT_FAILURE
    if reviewed is None:
        print(f"audit record {seq} not found", file=err)
        return EXIT_FAILURE
    document = _metadata(reviewed.record)
    document["entries"] = [entry.seq for entry in reviewed.entries]
    document["access_entry"] = reviewed.access_seq
    if reviewed.note is not None:
        document["payload_note"] = reviewed.note
    document["payload_status"] = reviewed.status
    document["payload"] = reviewed.payload
    print(printable(json.dumps(document, indent=2, ensure_ascii=False, default=str)), file=out)
    return EXIT_OK


def export_records(
    store: AuditStore,
    filters: RecordFilter,
    *,
    fmt: str,
    out: TextIO,
    err: TextIO | None = None,
    payload_reason: str | None = None,
    reviewer: str = "-",
) -> int:
    """Metadata of every matching entry, in sequence order, as JSON Lines or CSV (for a
    SIEM). Payloads only with a reason, and after one access entry for the export."""
    err = err or out
    if fmt not in ("jsonl", "csv"):
        print(f"unknown format {fmt!r}: expected jsonl or csv", file=err)
        return EXIT_USAGE
    try:
        records: Iterable[AuditRecord] = store.iter_records(filters)
        if payload_reason is not None:
            if not payload_reason.strip():
                print("a reason is required to export payloads (--reason TEXT)", file=err)
                return EXIT_USAGE
            chosen = list(records)
            store.record_access(
                chosen, actor=reviewer, reason=payload_reason.strip(), what="export"
            )
            records = chosen
        writer = (
            csv.DictWriter(out, fieldnames=list(EXPORT_FIELDS), extrasaction="ignore")
            if fmt == "csv"
            else None
        )
        if writer is not None:
            writer.writeheader()
        for record in records:
            row = _metadata(record, EXPORT_FIELDS)
            if payload_reason is not None:
                row["payload_status"], row["payload"] = _try_decrypt(store, record)
            if writer is not None:
                writer.writerow({k: _csv_cell(v) for k, v in row.items()})
            else:
                out.write(json.dumps(row, ensure_ascii=True, default=str) + "\n")
    except AuditError as exc:
        print(printable(f"audit store error: {exc}"), file=err)
        return EXIT_FAILURE
    return EXIT_OK


def verify_trail(
    store: AuditStore,
    *,
    sink: CheckpointSink | None,
    public_keys: PublicKeys | None,
    check_macs: bool = True,
    as_json: bool = False,
    out: TextIO,
    err: TextIO | None = None,
) -> int:
    """Verify everything; exit 0 if the trail is intact, 1 naming the first bad entry."""
    err = err or out
    try:
        trail_id = store.trail_id
        checkpoints = sink.read(trail_id) if sink is not None else []
        report = store.verify(
            checkpoints=checkpoints,
            public_keys=public_keys,
            check_macs=check_macs,
            foreign=foreign_checkpoints(sink, trail_id),
        )
    except AuditError as exc:
        print(printable(f"cannot verify: {exc}"), file=err)
        return EXIT_FAILURE
    if as_json:
        print(json.dumps({"trail": trail_id, **report.as_dict()}, indent=2), file=out)
    else:
        for line in render_report(trail_id, report):
            print(printable(line), file=out)
    return EXIT_OK if report.ok else EXIT_FAILURE


def foreign_checkpoints(sink: CheckpointSink | None, trail_id: str) -> list[StoredCheckpoint]:
    """The latest checkpoint of every other trail the sink holds (see `audit.verify`)."""
    if sink is None:
        return []
    found = []
    for other in sink.trails():
        if other != trail_id and (latest := sink.latest(other)) is not None:
            found.append(latest)
    return found


def render_report(trail_id: str, report: Report) -> list[str]:
    span = f"#{report.first_seq}..#{report.last_seq}" if report.entries else "none"
    kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(report.kinds.items()))
    lines = []
    if report.ok:
        lines.append(f"audit trail {trail_id}: OK")
    else:
        first = report.findings[0]
        lines.append(f"audit trail {trail_id}: FAILED — first bad {first}")
    lines.append(f"  entries: {report.entries} ({span})" + (f": {kinds}" if kinds else ""))
    lines.append(
        "  chain: every hash, link, payload digest"
        + (
            " and MAC checked"
            if report.macs_checked
            else " checked (MACs not checked: no chain key)"
        )
    )
    lines.append(
        f"  checkpoints: {report.checkpoints_matched} of {report.checkpoints} match"
        + (
            f" (latest anchors #{report.anchored_seq}); {report.unanchored} entries after it"
            if report.anchored_seq
            else "; no entry anchored yet"
        )
    )
    lines.append(
        f"  purged payloads: {report.purged_payloads}; data keys destroyed by "
        f"erasure or purge: {report.destroyed_keys}"
    )
    if report.incomplete_requests:
        lines.append(f"  incomplete requests (intent, no outcome): {report.incomplete_requests}")
    for finding in report.findings[1:]:
        lines.append(f"  also: {finding}")
    if report.more_findings:
        lines.append(f"  … and {report.more_findings} more findings")
    return lines


def purge(
    store: AuditStore,
    before: datetime,
    *,
    actor: str,
    dry_run: bool,
    out: TextIO,
    err: TextIO | None = None,
    after: Callable[[], object] | None = None,
) -> int:
    """Remove payloads older than `before` (retention); the trail still verifies."""
    err = err or out
    try:
        if dry_run:
            count = store.count(RecordFilter(until=before, requests_only=False))
            print(
                f"dry run: up to {count} entries before {before.isoformat()} would lose "
                "their payloads",
                file=out,
            )
            return EXIT_OK
        result = store.purge(before, actor=actor)
        if after is not None:
            after()
    except AuditError as exc:
        print(printable(f"cannot purge: {exc}"), file=err)
        return EXIT_FAILURE
    print(
        f"purged {result.payloads} payloads of entries before {before.isoformat()}; "
        f"destroyed {len(result.keys)} data keys of periods ended by then; "
        f"recorded as entry #{result.seq}",
        file=out,
    )
    return EXIT_OK


def erase(
    store: AuditStore,
    end_user: str,
    *,
    app: str | None,
    actor: str,
    reason: str,
    out: TextIO,
    err: TextIO | None = None,
    after: Callable[[], object] | None = None,
) -> int:
    """Crypto-shred one end user's payloads; the trail still verifies."""
    err = err or out
    if not reason.strip():
        print("a reason is required to erase (--reason TEXT)", file=err)
        return EXIT_USAGE
    try:
        result = store.erase_end_user(end_user, app=app, actor=actor, reason=reason.strip())
        if after is not None:
            after()
    except AuditError as exc:
        print(printable(f"cannot erase: {exc}"), file=err)
        return EXIT_FAILURE
    scope = f"app {app}" if app else "every app"
    print(
        printable(
            f"erased the end user in {scope}: destroyed {len(result.keys)} data keys "
            f"protecting {result.entries} entries; recorded as entry #{result.seq}"
        ),
        file=out,
    )
    return EXIT_OK


# -- the monthly report (GDPR Article 30 basis) ---------------------------------------------


@dataclass
class _TypeCounts:
    """Occurrences of one personal-data type, by what the provider saw of them."""

    sent_in_clear: int = 0  # policy `allow`: the value itself
    masked: int = 0  # `mask`: a placeholder, the value restored in the answer
    redacted: int = 0  # `redact`: the type label, irreversibly
    hashed: int = 0  # `hash`: a stable keyed label, irreversibly
    blocked: int = 0  # in requests the policy refused: nothing left
    action_not_recorded: int = 0  # schema-v1 records: masked, redacted or hashed

    def as_dict(self) -> dict[str, int]:
        """Every column, but `action_not_recorded` only where migrated records have it."""
        counts = asdict(self)
        if not self.action_not_recorded:
            del counts["action_not_recorded"]
        return counts


# The policy action an occurrence got -> the column of a forwarded request it counts in.
_FORWARDED_COLUMNS = {
    "allow": "sent_in_clear",
    "mask": "masked",
    "redact": "redacted",
    "hash": "hashed",
    "block": "blocked",
}
_COLUMNS = ("sent_in_clear", "masked", "redacted", "hashed", "blocked")


@dataclass
class _Shadow:
    """What policies and rules in shadow mode would have done, apart from what was done."""

    requests: int = 0  # evaluated in shadow mode
    differed: int = 0  # of which it would have decided something differently
    would_refuse: int = 0  # destination_not_allowed
    would_block: int = 0
    errors: int = 0  # its detection failed: not compared
    policies: set[str] = field(default_factory=set)
    types: dict[str, Counter[str]] = field(default_factory=dict)  # type -> action -> n

    def tally(self, shadow: dict[str, Any]) -> None:
        self.requests += 1
        self.policies.add(f"{shadow.get('policy')}@{str(shadow.get('policy_hash') or '')[:12]}")
        entities = shadow.get("entities") or {}
        refused, blocked = bool(shadow.get("would_refuse")), bool(shadow.get("would_block"))
        self.would_refuse += refused
        self.would_block += blocked
        self.errors += bool(shadow.get("error"))
        self.differed += refused or blocked or bool(entities)
        for kind, actions in entities.items():
            counter = self.types.setdefault(kind, Counter())
            for action, count in actions.items():
                counter[action] += int(count)

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "differed": self.differed,
            "would_refuse": self.would_refuse,
            "would_block": self.would_block,
            "errors": self.errors,
            "policies": sorted(self.policies),
            "would_have": {
                kind: dict(sorted(actions.items())) for kind, actions in sorted(self.types.items())
            },
        }


@dataclass
class _Group:
    requests: Counter[str] = field(default_factory=Counter)
    policies: set[str] = field(default_factory=set)
    end_users: set[str] = field(default_factory=set)
    models: set[str] = field(default_factory=set)
    types: dict[str, _TypeCounts] = field(default_factory=dict)
    shadow: _Shadow = field(default_factory=_Shadow)


def report_month(
    store: AuditStore, month: str, *, fmt: str = "text", out: TextIO, err: TextIO | None = None
) -> int:
    """Per app and destination (provider, region): requests by decision, the policies
    applied, and per personal-data type the occurrences sent in clear, masked (restorable),
    redacted, hashed and blocked. Requests refused before an app was identified (no or
    unknown key, unknown provider) sent nothing anywhere: they are one count, not a group."""
    err = err or out
    try:
        start = datetime.strptime(month, "%Y-%m").replace(tzinfo=UTC)
    except ValueError:
        print(f"invalid month {month!r}: expected YYYY-MM", file=err)
        return EXIT_USAGE
    if fmt not in ("text", "json", "csv"):
        print(f"unknown format {fmt!r}: expected text, json or csv", file=err)
        return EXIT_USAGE
    end = start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
    groups: dict[tuple[str, str, str], _Group] = {}
    unidentified: Counter[str] = Counter()
    try:
        for record in store.iter_records(RecordFilter(since=start, until=end)):
            if record.app == UNIDENTIFIED_APP:
                unidentified[record.decision or "-"] += 1
            else:
                _tally(groups, record)
        for record in store.iter_records(RecordFilter(since=start, until=end, incomplete=True)):
            group = groups.setdefault(_group_key(record), _Group())
            group.requests["incomplete"] += 1
        trail = store.trail_id
    except AuditError as exc:
        print(printable(f"audit store error: {exc}"), file=err)
        return EXIT_FAILURE
    document = _report_document(trail, month, groups, unidentified)
    if fmt == "json":
        print(json.dumps(document, indent=2, ensure_ascii=False), file=out)
    elif fmt == "csv":
        _report_csv(document, out)
    else:
        for line in _report_text(document):
            print(printable(line), file=out)
    return EXIT_OK


def _group_key(record: AuditRecord) -> tuple[str, str, str]:
    return (record.app, record.provider or "-", record.region or "-")


def _tally(groups: dict[tuple[str, str, str], _Group], record: AuditRecord) -> None:
    group = groups.setdefault(_group_key(record), _Group())
    decision = record.decision or "-"
    group.requests[decision] += 1
    if record.policy_name:
        group.policies.add(f"{record.policy_name}@{(record.policy_hash or '')[:12]}")
    if record.end_user_hash:
        group.end_users.add(record.end_user_hash)
    if record.model:
        group.models.add(record.model)
    shadow = record.details.get("shadow")
    if isinstance(shadow, dict):
        group.shadow.tally(shadow)
    # Schema-v1 records kept counts only: their types were acted upon, never allowed, but
    # whether masked, redacted or hashed was not recorded.
    actions: dict[str, dict[str, int]] = record.entity_actions or {
        kind: {"": count} for kind, count in record.entity_counts.items()
    }
    for kind, by_action in actions.items():
        counts = group.types.setdefault(kind, _TypeCounts())
        if decision == Decision.BLOCKED.value:
            counts.blocked += sum(by_action.values())
        elif decision == Decision.FORWARDED.value:
            for action, count in by_action.items():
                column = _FORWARDED_COLUMNS.get(action, "action_not_recorded")
                setattr(counts, column, getattr(counts, column) + count)


def _report_document(
    trail: str,
    month: str,
    groups: dict[tuple[str, str, str], _Group],
    unidentified: Counter[str],
) -> dict[str, Any]:
    return {
        "report": "voile audit report (basis for a GDPR Article 30 record of processing)",
        "month": month,
        "trail": trail,
        "generated_at": time_text(datetime.now(UTC)),
        "groups": [
            {
                "app": app,
                "provider": provider,
                "region": region,
                "requests": {
                    "total": sum(v for k, v in g.requests.items() if k != "incomplete"),
                    **dict(sorted(g.requests.items())),
                },
                "policies": sorted(g.policies),
                "models": sorted(g.models),
                "end_users": len(g.end_users),
                "entity_types": {kind: c.as_dict() for kind, c in sorted(g.types.items())},
                **({"shadow": g.shadow.as_dict()} if g.shadow.requests else {}),
            }
            for (app, provider, region), g in sorted(groups.items())
        ],
        "refused_before_identification": {
            "total": sum(unidentified.values()),
            **dict(sorted(unidentified.items())),
        },
    }


def _report_csv(document: dict[str, Any], out: TextIO) -> None:
    """One row per app, destination and type (the refusals before identification, which
    concern no app, are in the text and JSON forms only)."""
    writer = csv.writer(out)
    writer.writerow(
        [
            "month",
            "app",
            "provider",
            "region",
            "entity_type",
            *_COLUMNS,
            "action_not_recorded",
            "requests",
            "policies",
            "mode",
        ]
    )
    for group in document["groups"]:
        types: dict[str, dict[str, int]] = group["entity_types"] or {"-": {}}
        for kind, counts in types.items():
            writer.writerow(
                [
                    document["month"],
                    group["app"],
                    group["provider"],
                    group["region"],
                    kind,
                    *(counts.get(column, 0) for column in _COLUMNS),
                    counts.get("action_not_recorded", 0),
                    group["requests"]["total"],
                    " ".join(group["policies"]),
                    "enforced",
                ]
            )
        shadow = group.get("shadow")
        for kind, actions in (shadow["would_have"] if shadow else {}).items():
            columns = {_FORWARDED_COLUMNS.get(a): n for a, n in actions.items()}
            writer.writerow(
                [
                    document["month"],
                    group["app"],
                    group["provider"],
                    group["region"],
                    kind,
                    *(columns.get(column, 0) for column in _COLUMNS),
                    0,
                    shadow["requests"],
                    " ".join(shadow["policies"]),
                    "shadow",
                ]
            )


def _report_text(document: dict[str, Any]) -> list[str]:
    lines = [
        f"Record of processing, {document['month']} (audit trail {document['trail']})",
        "Personal data sent to LLM providers through Voile, per app and destination.",
        "",
    ]
    if not document["groups"]:
        lines.append("no requests from an app this month")
    for group in document["groups"]:
        requests = group["requests"]
        detail = ", ".join(f"{k} {v}" for k, v in requests.items() if k != "total")
        lines.append(
            f"app {group['app']} -> provider {group['provider']} (region {group['region']})"
        )
        lines.append(f"  requests: {requests['total']} ({detail})")
        lines.append(f"  policies: {', '.join(group['policies']) or '-'}")
        lines.append(f"  models: {', '.join(group['models']) or '-'}")
        lines.append(f"  end users named by the app: {group['end_users']}")
        if group["entity_types"]:
            width = max(14, *(len(k) for k in group["entity_types"]))
            lines.append(
                f"  {'personal data':<{width}}  sent in clear  masked  redacted  hashed  blocked"
            )
            unrecorded = 0
            for kind, counts in group["entity_types"].items():
                lines.append(
                    f"  {kind:<{width}}  {counts['sent_in_clear']:>13}  "
                    f"{counts['masked']:>6}  {counts['redacted']:>8}  "
                    f"{counts['hashed']:>6}  {counts['blocked']:>7}"
                )
                unrecorded += counts.get("action_not_recorded", 0)
            if unrecorded:
                lines.append(
                    f"  and {unrecorded} occurrences in records from before Voile "
                    "recorded actions: masked, redacted or hashed, not sent in clear"
                )
        else:
            lines.append("  personal data: none detected")
        if "shadow" in group:
            lines.extend(_shadow_text(group["shadow"]))
        lines.append("")
    refused = document["refused_before_identification"]
    if refused["total"]:
        detail = ", ".join(f"{k} {v}" for k, v in refused.items() if k != "total")
        lines.append(
            f"requests refused before an app was identified (no or unknown key, "
            f"unknown provider; nothing forwarded): {refused['total']} ({detail})"
        )
    return lines


def _shadow_text(shadow: dict[str, Any]) -> list[str]:
    """Shadow decisions, apart: what was computed and not enforced."""
    lines = [
        f"  shadow mode (computed, NOT enforced): {shadow['requests']} requests under "
        f"{', '.join(shadow['policies'])}; {shadow['differed']} would have been treated "
        f"differently (refused {shadow['would_refuse']}, blocked {shadow['would_block']})"
    ]
    if shadow["errors"]:
        lines.append(f"    not compared (detection failed): {shadow['errors']}")
    for kind, actions in shadow["would_have"].items():
        done = ", ".join(f"{action} {count}" for action, count in actions.items())
        lines.append(f"    {kind}: would have been {done}")
    return lines


# -- rendering helpers ----------------------------------------------------------------------


def format_counts(counts: dict[str, int]) -> str:
    """`EMAIL_ADDRESS=2 PERSON=1`, sorted by type so equal records print equal lines."""
    return " ".join(f"{kind}={count}" for kind, count in sorted(counts.items())) or "-"


def printable(text: str) -> str:
    """Escape what a terminal would interpret (controls, bidi overrides, surrogates).

    Newlines stay, so multi-line JSON stays readable; inside JSON strings the escapes are
    valid JSON (`\\u001b`), so the output can still be parsed.
    """
    return "".join(ch if ch == "\n" or ch.isprintable() else _escape(ch) for ch in text)


def _escape(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # as JSON writes astral characters: a UTF-16 surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _check_choice(name: str, value: object, choices: Sequence[str]) -> str | None:
    if value is not None and str(value) not in choices:
        return f"unknown {name} {str(value)!r}: expected one of {', '.join(choices)}"
    return None


def _metadata(record: AuditRecord, fields: Sequence[str] = SHOWN_FIELDS) -> dict[str, Any]:
    document: dict[str, Any] = {name: getattr(record, name) for name in fields}
    for name in ("occurred_at", "written_at"):
        if name in document and isinstance(document[name], datetime):
            document[name] = document[name].isoformat()
    return document


def _try_decrypt(store: AuditStore, record: AuditRecord) -> tuple[str, Any]:
    try:
        return "available", store.decrypt_entry(record)
    except AuditErasedError as exc:
        return ("erased" if exc.reason == "erasure" else "purged"), None
    except AuditKeyError:
        return "unreadable", None


def _csv_cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, str):
        # Spreadsheet formula injection: a cell starting with = + - @ is kept as text.
        return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
    return value


@dataclass(frozen=True)
class _Column:
    header: str
    cell: Callable[[AuditRecord], str]
    right: bool = False  # numbers align right
    cut: bool = False  # free text from apps and clients is cut; counts never are


def _decision(record: AuditRecord) -> str:
    if record.kind == EntryKind.INTENT.value:
        return "incomplete"
    return record.decision or "-"


def _details_cell(record: AuditRecord) -> str:
    """An entry's clear details, cut; a policy change as `applied OLD -> NEW: FILES`."""
    details = record.details
    if record.kind == EntryKind.POLICY_CHANGE.value:
        files = ", ".join(sorted(details.get("files") or {})) or "-"
        old, new = str(details.get("old") or "-")[:12], str(details.get("new") or "-")[:12]
        return f"{details.get('result', '-')} {old} -> {new}: {files}"[:80]
    return json.dumps(details, sort_keys=True)[:80]


_REQUEST_COLUMNS: Sequence[_Column] = (
    _Column("ID", lambda r: str(r.seq), right=True),
    _Column("TIME (UTC)", lambda r: r.occurred_at.strftime("%Y-%m-%d %H:%M:%S")),
    _Column("APP", lambda r: r.app, cut=True),
    _Column("PROVIDER", lambda r: r.provider or "-", cut=True),
    _Column("MODEL", lambda r: r.model or "-", cut=True),
    _Column("DECISION", _decision, cut=True),
    _Column("STATUS", lambda r: "-" if r.status is None else str(r.status), right=True),
    _Column("ENTITIES", lambda r: format_counts(r.entity_counts)),
    _Column(
        "LATENCY", lambda r: "-" if r.latency_ms is None else f"{r.latency_ms:.0f} ms", right=True
    ),
)
_ENTRY_COLUMNS: Sequence[_Column] = (
    _Column("ID", lambda r: str(r.seq), right=True),
    _Column("TIME (UTC)", lambda r: r.occurred_at.strftime("%Y-%m-%d %H:%M:%S")),
    _Column("KIND", lambda r: r.kind),
    _Column("APP", lambda r: r.app, cut=True),
    _Column("ACTOR", lambda r: r.actor or "-", cut=True),
    _Column("SUBJECT", lambda r: "-" if r.subject_seq is None else f"#{r.subject_seq}", right=True),
    _Column("DETAILS", _details_cell),
)


def _table(records: Sequence[AuditRecord], columns: Sequence[_Column]) -> list[str]:
    rows = [[column.header for column in columns]]
    rows += [[_cell(column, record) for column in columns] for record in records]
    widths = [max(len(row[i]) for row in rows) for i in range(len(columns))]
    return [
        "  ".join(
            value.rjust(width) if column.right else value.ljust(width)
            for value, width, column in zip(row, widths, columns, strict=True)
        ).rstrip()
        for row in rows
    ]


def _cell(column: _Column, record: AuditRecord) -> str:
    value = printable(column.cell(record))
    if column.cut and len(value) > MAX_CELL:
        return value[: MAX_CELL - 1] + "…"
    return value
