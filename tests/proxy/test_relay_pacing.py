"""`WritePacer`: a stream's bursts of small writes reach the client in few writes, in order,
while the first writes, and the last before a pause, are not held back.

Each test runs a real aiohttp server on 127.0.0.1 whose handler writes through a pacer, and
reads the stream with a real client; the handler counts the writes that reach the response.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
from pytest_aiohttp import AiohttpServer

from proxy.pacing import WritePacer

Handler = Callable[[web.StreamResponse, Callable[[bytes], Awaitable[None]]], Awaitable[None]]


async def serve(aiohttp_server: AiohttpServer, body: Handler) -> tuple[TestServer, list[bytes]]:
    """A server whose one route streams what `body` writes; the list gets each write made
    to the response."""
    writes: list[bytes] = []

    async def handler(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)

        async def write(data: bytes) -> None:
            writes.append(data)
            await response.write(data)

        await body(response, write)
        await response.write_eof()
        return response

    app = web.Application()
    app.router.add_get("/stream", handler)
    return await aiohttp_server(app, host="127.0.0.1"), writes


async def read_all(server: TestServer) -> bytes:
    """The whole body of `/stream`, as a client reads it."""
    async with (
        aiohttp.ClientSession() as session,
        session.get(server.make_url("/stream")) as answer,
    ):
        return await answer.read()


async def test_a_burst_of_events_goes_out_in_a_few_writes_in_order(
    aiohttp_server: AiohttpServer,
) -> None:
    events = [f'data: {{"n":{i}}}\n\n'.encode() for i in range(200)]

    async def body(_: web.StreamResponse, write: Callable[[bytes], Awaitable[None]]) -> None:
        pacer = WritePacer(write)
        for event in events:
            await pacer.write(event)
        await pacer.close()

    server, writes = await serve(aiohttp_server, body)
    received = await read_all(server)
    assert received == b"".join(events)
    assert len(writes) <= 10, len(writes)


async def test_the_first_writes_go_out_at_once(aiohttp_server: AiohttpServer) -> None:
    """The client has the first events (the role chunk, the first content) while the pacer
    would otherwise still be gathering for 60 s."""
    got_first = asyncio.Event()

    async def body(_: web.StreamResponse, write: Callable[[bytes], Awaitable[None]]) -> None:
        pacer = WritePacer(write, interval=60.0, eager_writes=2)
        await pacer.write(b"data: role\n\n")
        await pacer.write(b"data: first\n\n")
        await asyncio.wait_for(got_first.wait(), 5.0)
        await pacer.close(b"data: last\n\n")

    server, _ = await serve(aiohttp_server, body)
    async with (
        aiohttp.ClientSession() as session,
        session.get(server.make_url("/stream")) as answer,
    ):
        role = await answer.content.readuntil(b"\n\n")
        first = await answer.content.readuntil(b"\n\n")
        got_first.set()
        rest = await answer.read()
    assert (role, first, rest) == (b"data: role\n\n", b"data: first\n\n", b"data: last\n\n")


async def test_what_is_gathered_goes_out_within_the_interval(
    aiohttp_server: AiohttpServer,
) -> None:
    """An event written just after another is gathered, then sent by the timer, without a
    further write: a pause in the provider's stream does not hold it back."""
    got_second = asyncio.Event()
    waited: list[float] = []

    async def body(_: web.StreamResponse, write: Callable[[bytes], Awaitable[None]]) -> None:
        pacer = WritePacer(write, interval=0.05, eager_writes=1)
        await pacer.write(b"data: 1\n\n")
        began = time.monotonic()
        await pacer.write(b"data: 2\n\n")
        await asyncio.wait_for(got_second.wait(), 5.0)
        waited.append(time.monotonic() - began)
        await pacer.close()

    server, writes = await serve(aiohttp_server, body)
    async with (
        aiohttp.ClientSession() as session,
        session.get(server.make_url("/stream")) as answer,
    ):
        first = await answer.content.readuntil(b"\n\n")
        second = await answer.content.readuntil(b"\n\n")
        got_second.set()
        assert await answer.read() == b""
    assert (first, second) == (b"data: 1\n\n", b"data: 2\n\n")
    assert writes == [b"data: 1\n\n", b"data: 2\n\n"]
    assert waited[0] < 1.0


async def test_a_stream_slower_than_the_interval_is_written_event_by_event(
    aiohttp_server: AiohttpServer,
) -> None:
    async def body(_: web.StreamResponse, write: Callable[[bytes], Awaitable[None]]) -> None:
        pacer = WritePacer(write, interval=0.001)
        for i in range(8):
            await pacer.write(f"data: {i}\n\n".encode())
            await asyncio.sleep(0.01)
        await pacer.close()

    server, writes = await serve(aiohttp_server, body)
    received = await read_all(server)
    assert len(writes) == 8
    assert received == b"".join(f"data: {i}\n\n".encode() for i in range(8))
