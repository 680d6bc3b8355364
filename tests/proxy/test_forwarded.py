"""Which address the gate counts (`proxy.forwarded`), from a table: the peer unless it is a
trusted proxy; then the right-most X-Forwarded-For entry not itself trusted; malformed → the
peer."""

from __future__ import annotations

import ipaddress

import pytest

from proxy.forwarded import client_address

TRUSTED = (
    ipaddress.ip_network("10.0.0.0/8"),
    ipaddress.ip_network("fd00::/8"),
)

CASES = [
    # (peer, X-Forwarded-For values, expected, why)
    ("198.51.100.7", (), "198.51.100.7", "no header: the peer"),
    (
        "198.51.100.7",
        ("203.0.113.9",),
        "198.51.100.7",
        "untrusted peer: a spoofed header is ignored",
    ),
    ("10.0.0.2", (), "10.0.0.2", "trusted peer without a header: the peer"),
    ("10.0.0.2", ("203.0.113.9",), "203.0.113.9", "trusted peer: the client it names"),
    ("10.0.0.2", ("203.0.113.9, 10.0.0.3",), "203.0.113.9", "through two trusted proxies"),
    ("10.0.0.2", ("6.6.6.6, 203.0.113.9",), "203.0.113.9", "the caller's own prefix is not read"),
    ("10.0.0.2", ("junk, 203.0.113.9",), "203.0.113.9", "left of the client: never parsed"),
    ("10.0.0.2", ("6.6.6.6", "203.0.113.9"), "203.0.113.9", "two header lines are one list"),
    ("10.0.0.2", ("10.1.2.3",), "10.1.2.3", "all trusted: the left-most, an internal caller"),
    ("10.0.0.2", ("203.0.113.9, nonsense",), "10.0.0.2", "malformed right-most entry: the peer"),
    ("10.0.0.2", ("203.0.113.9:4711",), "10.0.0.2", "a port is malformed"),
    ("10.0.0.2", ("[2001:db8::1]",), "10.0.0.2", "brackets are malformed"),
    ("10.0.0.2", ("unknown",), "10.0.0.2", "RFC 7239's unknown is malformed"),
    ("10.0.0.2", ("203.0.113.9,",), "10.0.0.2", "an empty entry is malformed"),
    ("10.0.0.2", ("",), "10.0.0.2", "an empty header is malformed"),
    ("10.0.0.2", ("203.0.113.9, 10.0.0.3, x",), "10.0.0.2", "malformed before the client"),
    ("10.0.0.2", (" 2001:DB8::0001 ",), "2001:db8::1", "IPv6, canonical spelling"),
    ("10.0.0.2", ("::ffff:203.0.113.9",), "203.0.113.9", "IPv4-mapped is the IPv4 address"),
    ("fd00::5", ("203.0.113.9",), "203.0.113.9", "a trusted IPv6 peer"),
    ("::ffff:10.0.0.2", ("203.0.113.9",), "203.0.113.9", "a dual-stack socket's mapped peer"),
    ("::ffff:198.51.100.7", (), "198.51.100.7", "a mapped peer is counted as its IPv4 address"),
    ("2001:db8::7", ("203.0.113.9",), "2001:db8::7", "an untrusted IPv6 peer"),
    ("10.0.0.2", ("010.0.0.1",), "10.0.0.2", "leading zeros are malformed, not octal"),
    (None, ("203.0.113.9",), None, "no peer address (a Unix socket)"),
]


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [pytest.param(peer, fwd, want, id=why) for peer, fwd, want, why in CASES],
)
def test_the_client_address(peer: str | None, forwarded: tuple[str, ...], expected: str) -> None:
    assert client_address(peer, forwarded, TRUSTED) == expected


def test_without_trusted_proxies_the_header_is_never_read() -> None:
    assert client_address("10.0.0.2", ["203.0.113.9"], ()) == "10.0.0.2"


def test_a_trusted_network_of_one_version_does_not_match_the_other() -> None:
    everything_v4 = (ipaddress.ip_network("0.0.0.0/0"),)
    assert client_address("2001:db8::7", ["203.0.113.9"], everything_v4) == "2001:db8::7"
