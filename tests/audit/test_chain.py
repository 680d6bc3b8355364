"""The canonical form the chain hashes: stable, backend-independent, and never fooled by a
value of the wrong type."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from audit import chain

BASE = {name: None for name, _ in chain.HASHED_COLUMNS}


def digest(**values: object) -> str:
    return chain.chain_hash({**BASE, **values})


def test_the_canonical_form_is_fixed() -> None:
    row = {**BASE, "seq": 1, "kind": "outcome", "latency_ms": 1.5, "prev_hash": "0" * 64}
    assert chain.canonical(row).startswith(b'["voile-audit/v2",[1,"outcome",null,')
    assert digest(seq=1) == digest(seq=1)


def test_sqlite_text_and_postgresql_datetimes_hash_alike() -> None:
    moment = datetime(2025, 3, 14, 9, 26, 53, 589000, tzinfo=UTC)
    paris = moment.astimezone(timezone(timedelta(hours=1)))
    assert digest(occurred_at=moment) == digest(occurred_at=paris)
    assert digest(occurred_at=moment) == digest(occurred_at="2025-03-14 09:26:53.589000")
    assert digest(occurred_at=moment) == digest(occurred_at=moment.replace(tzinfo=None))


def test_lenient_date_spellings_are_not_the_same_instant() -> None:
    moment = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)
    for text in ("2025-03-04 09:00:00", "2025-03-04T09:00:00.000000", "2025-03-04"):
        assert digest(occurred_at=text) != digest(occurred_at=moment), text


def test_a_value_of_another_type_never_hashes_like_the_real_one() -> None:
    assert digest(seq=5) != digest(seq="5")
    assert digest(status=200) != digest(status=200.0)
    assert digest(latency_ms=1.0) != digest(latency_ms=1)
    assert digest(app="x") != digest(app=b"x")
    assert digest(status=True) != digest(status=1)
    assert digest(latency_ms=0.0) != digest(latency_ms=-0.0)


def test_genesis_binds_the_trail() -> None:
    assert chain.genesis_hash("a" * 16) != chain.genesis_hash("b" * 16)
