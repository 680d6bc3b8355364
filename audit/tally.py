"""Counting the trail in the database: what a dashboard shows of a period cut into buckets,
grouped by SQL, so that a month of traffic is read as a few hundred groups instead of one
row per request (`proxy.console.dashboard` turns them into figures). A part of
`AuditStore` (`audit.store`), which it extends.

1. Only clear columns are read (app, provider, region, decision, `entity_counts`, and the
   `shadow`, `detect_ms` and `upstream_ms` details); never a payload, so no access entry is due.
2. Buckets are given by where each starts and where the last ends; an entry's bucket is the
   last start at or before it (a CASE over the bounds, compared as the store compares times
   everywhere, so SQLite and PostgreSQL agree to the microsecond).
3. The JSON columns are canonical text on both backends (`audit.models`); SQLite reads them
   with its JSON1 functions, PostgreSQL as `jsonb`. That is the one place the two differ.
4. Shadow differences: a request counts once, by its strongest (`would_refuse`, then
   `would_block`, then `entities`); the trail writes each of these keys only when it holds
   something (`proxy.shadow`), so a key present is a difference.
5. Percentiles are nearest-rank: the value of rank ceil(p·n) among the n measured in the
   bucket, found with window functions and integer arithmetic (no float rounding). A value
   is measured when it is a non-negative JSON number (not a boolean).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import BigInteger, Float, and_, case, cast, func, literal, or_, select, true
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Session, col

from audit.columns import require_aware
from audit.models import AuditRecord
from audit.review import RecordFilter, _filtered

if TYPE_CHECKING:
    from audit.core import StoreCore

STAGES = ("detect", "upstream")  # the clear `{stage}_ms` details
SHARES = (50, 95)  # percentiles
SHADOW = ("would_refuse", "would_block", "entities")  # strongest first


@dataclass(frozen=True)
class RequestGroup:
    """How many requests of one bucket had this app, destination, decision and shadow
    difference (`would_refuse`, `would_block`, `would_change` or None)."""

    bucket: int
    app: str
    provider: str | None
    region: str | None
    decision: str | None
    shadow: str | None
    requests: int


@dataclass(frozen=True)
class FindingGroup:
    """Occurrences of one entity type in one bucket's requests of one app and destination."""

    bucket: int
    app: str
    provider: str | None
    region: str | None
    entity: str
    occurrences: int


@dataclass(frozen=True)
class Percentile:
    stage: str  # detect or upstream
    share: int  # 50 or 95
    bucket: int
    milliseconds: float


@dataclass(frozen=True)
class Tally:
    requests: list[RequestGroup]
    findings: list[FindingGroup]
    percentiles: list[Percentile]


class Counting:
    def tally(
        self: StoreCore, filters: RecordFilter, starts: Sequence[datetime], end: datetime
    ) -> Tally:
        """The requests `filters` selects between `starts[0]` and `end`, counted per bucket
        (bucket i starts at `starts[i]`, the last ends at `end`)."""
        if not starts:
            raise ValueError("a tally needs at least one bucket")
        bounds = [require_aware(start, "starts") for start in starts]
        postgres = self._engine.dialect.name == "postgresql"
        record = AuditRecord
        when = col(record.occurred_at)
        bucket = case(
            *((when < bound, index) for index, bound in enumerate(bounds[1:])),
            else_=len(bounds) - 1,
        )
        json = _Postgres() if postgres else _SQLite()
        details = col(record.details)
        base = (
            _filtered(
                select(
                    bucket.label("bucket"),
                    col(record.app).label("app"),
                    col(record.provider).label("provider"),
                    col(record.region).label("region"),
                    col(record.decision).label("decision"),
                    col(record.entity_counts).label("entity_counts"),
                    case(
                        *(
                            (json.present(details, "shadow", key), _difference(key))
                            for key in SHADOW
                        ),
                        else_=None,
                    ).label("shadow"),
                    *(json.milliseconds(details, f"{stage}_ms").label(stage) for stage in STAGES),
                ),
                filters,
            )
            .where(when >= bounds[0])
            .where(when < require_aware(end, "end"))
            .subquery()
        )
        keys = (base.c.bucket, base.c.app, base.c.provider, base.c.region)
        requests = select(*keys, base.c.decision, base.c.shadow, func.count()).group_by(
            *keys, base.c.decision, base.c.shadow
        )
        each = json.counts(base.c.entity_counts)
        findings = (
            select(*keys, each.c.key, func.sum(json.count_value(each.c.value)))
            .select_from(base)
            .join(each, true())
            .group_by(*keys, each.c.key)
        )
        with self._database_errors("count audit records"), Session(self._engine) as session:
            tally = Tally(
                [RequestGroup(*row) for row in session.execute(requests).all()],
                [  # PostgreSQL sums bigints as numeric
                    FindingGroup(bucket_, app, provider, region, entity, int(n))
                    for bucket_, app, provider, region, entity, n in session.execute(findings)
                ],
                [],
            )
            for stage in STAGES:
                tally.percentiles.extend(
                    Percentile(stage, share, bucket_, float(value))
                    for bucket_, value, rank, size in session.execute(_ranks(base, stage)).all()
                    for share in SHARES
                    if _nearest_rank(rank, size, share)
                )
        return tally


def _difference(key: str) -> str:
    return "would_change" if key == "entities" else key


def _ranks(base: Any, stage: str) -> Any:
    """The values of rank ceil(p·n) in each bucket, for every p of SHARES: rank r is that
    rank when 100·(r-1) < p·n <= 100·r."""
    value = base.c[stage]
    ranked = (
        select(
            base.c.bucket,
            value.label("value"),
            func.row_number().over(partition_by=base.c.bucket, order_by=value).label("rank"),
            func.count().over(partition_by=base.c.bucket).label("size"),
        )
        .where(value.is_not(None))
        .subquery()
    )
    rank, size = ranked.c["rank"], ranked.c["size"]
    return select(ranked.c.bucket, ranked.c.value, rank, size).where(
        or_(
            *(and_(100 * (rank - 1) < share * size, share * size <= 100 * rank) for share in SHARES)
        )
    )


def _nearest_rank(rank: int, size: int, share: int) -> bool:
    return 100 * (rank - 1) < share * size <= 100 * rank


class _SQLite:
    """JSON1 over the canonical text."""

    def present(self, document: Any, *path: str) -> Any:
        return func.json_extract(document, "$." + ".".join(path)).is_not(None)

    def milliseconds(self, document: Any, key: str) -> Any:
        value = func.json_extract(document, f"$.{key}")
        number = func.json_type(document, f"$.{key}").in_(("integer", "real"))
        return case((and_(number, value >= 0), cast(value, Float)), else_=None)

    def counts(self, document: Any) -> Any:
        return func.json_each(document).table_valued("key", "value")

    def count_value(self, value: Any) -> Any:
        return value


class _Postgres:
    """The canonical text cast to `jsonb`."""

    def present(self, document: Any, *path: str) -> Any:
        return func.jsonb_extract_path(cast(document, JSONB), *map(literal, path)).is_not(None)

    def milliseconds(self, document: Any, key: str) -> Any:
        found = func.jsonb_extract_path(cast(document, JSONB), literal(key))
        value = cast(func.jsonb_extract_path_text(cast(document, JSONB), literal(key)), Float)
        # Nested: the cast runs only once the value is known to be a number.
        return case(
            (func.jsonb_typeof(found) == "number", case((value >= 0, value), else_=None)),
            else_=None,
        )

    def counts(self, document: Any) -> Any:
        return func.jsonb_each_text(cast(document, JSONB)).table_valued("key", "value")

    def count_value(self, value: Any) -> Any:
        return cast(value, BigInteger)
