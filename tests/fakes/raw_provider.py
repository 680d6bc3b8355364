"""A provider that writes raw HTTP/1.1 bytes, for answers no well-behaved server sends: a body
cut short, a connection reset, invalid chunked encoding, truncated gzip, a body far larger
than any answer.

Each request gets the next scripted `RawReply` (its head, then its body pieces one by one,
each written and drained before the next is produced, then how the connection ends). The
server counts the body bytes it got to hand to the kernel, so a test can assert that the
proxy stopped reading, on bytes rather than on timing. Everything is on 127.0.0.1 and bounded:
a reply that waits for the proxy to hang up gives up after `hold_seconds`.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

PIECE = 64 * 1024


@dataclass
class RawReply:
    head: bytes  # the status line and headers, blank line included
    body: Iterable[bytes] = ()  # written piece by piece; a generator is only run as needed
    # close: FIN after the body; reset: RST (SO_LINGER 0); hold: wait for the proxy to hang up
    end: Literal["close", "reset", "hold"] = "close"
    pause: float = 0.0  # seconds after the head and after each piece: separate network reads


@dataclass
class RawProvider:
    replies: list[RawReply] = field(default_factory=list)
    hold_seconds: float = 10.0
    requests: int = 0
    sent_bytes: int = 0  # body bytes written and drained, over all replies
    finished: asyncio.Event = field(default_factory=asyncio.Event)  # a reply's script ended
    _server: asyncio.Server | None = None

    async def start(self) -> str:
        """Listen on a free port of 127.0.0.1; return the base URL."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            await reader.readexactly(length)
            self.requests += 1
            reply = self.replies.pop(0)
            writer.write(reply.head)
            await writer.drain()
            for piece in reply.body:
                if reply.pause:
                    await asyncio.sleep(reply.pause)
                writer.write(piece)
                await writer.drain()
                self.sent_bytes += len(piece)
            if reply.end == "reset":
                sock = writer.get_extra_info("socket")
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                writer.transport.abort()
                return
            if reply.end == "hold":
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(reader.read(), self.hold_seconds)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # the proxy hung up: what was sent is counted
        finally:
            writer.close()
            self.finished.set()


def head(
    status: int = 200,
    *,
    length: int | None = None,
    chunked: bool = False,
    encoding: str | None = None,
    content_type: str = "application/json",
) -> bytes:
    lines = [
        f"HTTP/1.1 {status} {'OK' if status == 200 else 'Error'}",
        f"Content-Type: {content_type}",
        "Connection: close",
    ]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    if chunked:
        lines.append("Transfer-Encoding: chunked")
    if encoding is not None:
        lines.append(f"Content-Encoding: {encoding}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def chunked(pieces: Iterable[bytes], *, last: bool = True) -> Iterator[bytes]:
    """Pieces in chunked transfer encoding; `last=False` leaves the body unfinished."""
    for piece in pieces:
        yield f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
    if last:
        yield b"0\r\n\r\n"


def huge_json(size: int) -> Iterator[bytes]:
    """A valid JSON answer of `size` bytes, produced lazily, PIECE bytes at a time."""
    opening, closing = b'{"id": "x", "text": "', b'"}'
    yield opening
    left = size - len(opening) - len(closing)
    while left > 0:
        step = min(PIECE, left)
        yield b"a" * step
        left -= step
    yield closing
