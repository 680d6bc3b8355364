"""Who the client is, for the gate's per-address limit (`proxy.gate`): the TCP peer, or,
behind a proxy the operator trusts, the address that proxy says it served.

1. **The peer decides whether any header is read.** Any caller can write `X-Forwarded-For`;
   only a proxy listed in `limits.trusted_proxies` (CIDRs, empty by default) appends an
   entry we believe. So the header is read only when the TCP peer is in that list; from any
   other peer it is ignored, whatever it says.
2. **Right to left, the first address not itself trusted.** Each proxy appends the address
   it received the request from; the right-most entry was written by the peer, the one
   before it by the proxy the peer names, and so on. Walking from the right through trusted
   proxies, the first untrusted address is the client as far as trusted hops can vouch for
   it. Everything to its left was written by that client (or by proxies nobody vouches for)
   and is never even parsed, so a caller cannot choose its bucket by prepending addresses
   (`X-Forwarded-For: 203.0.113.9` becomes `203.0.113.9, <its own address>` at HAProxy).
   If every entry is a trusted proxy, the left-most is the client (an internal caller
   reached through the balancer).
3. **Malformed means the peer.** An entry that is not a plain IPv4 or IPv6 address (a port,
   brackets, `unknown`, an obfuscated RFC 7239 name, an empty entry) on that walk makes the
   whole header worthless: the peer is used, as if the header were absent. Several header
   lines are one list, in order (RFC 9110, section 5.3).
4. **One spelling per address.** Addresses are canonical (`ipaddress`), and IPv4-mapped IPv6
   peers (`::ffff:10.0.0.1`, on a dual-stack socket) are their IPv4 address, so one client is
   one bucket whichever way it is written.

Pure functions, no aiohttp: `tests/proxy/test_forwarded.py` is a table.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

HEADER = "X-Forwarded-For"


def parse_address(text: str) -> Address | None:
    """A plain IP address, canonical and IPv4-mapped folded; None for anything else."""
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def is_trusted(address: Address, trusted: Sequence[Network]) -> bool:
    return any(address.version == network.version and address in network for network in trusted)


def client_address(
    peer: str | None, forwarded: Iterable[str], trusted: Sequence[Network]
) -> str | None:
    """The client's address as the gate counts it: the peer, or, when the peer is a trusted
    proxy, the right-most untrusted `X-Forwarded-For` entry (`forwarded`: the header's
    values, in order). None only when there is no peer address (a Unix socket)."""
    if peer is None:
        return None
    peer_address = parse_address(peer)
    if peer_address is None:
        return peer  # not an IP socket: the name aiohttp gives is the only thing known
    if not trusted or not is_trusted(peer_address, trusted):
        return str(peer_address)
    entries = [entry for value in forwarded for entry in value.split(",")]
    if not entries:
        return str(peer_address)
    client: Address | None = None
    for entry in reversed(entries):
        address = parse_address(entry)
        if address is None:
            return str(peer_address)
        client = address
        if not is_trusted(address, trusted):
            break
    return str(client)
