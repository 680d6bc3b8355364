"""The test suite's fake OpenAI provider, in echo mode, as its own process on 127.0.0.1.

Run as `python -m bench.fake_upstream` from the repository root (so `tests.fakes` imports).
It binds an ephemeral port, prints `PORT <n>` on stdout so the benchmark learns where it
listens, and serves until it is terminated, or until `--max-seconds` pass: a benchmark that
crashed can never leave it running for long.

It runs in a process of its own so that the benchmark client, the fake and Voile do not share
an event loop: otherwise the "direct" figures would include the fake's work on the client's
loop and the comparison with Voile would be skewed.

With `--record FILE`, every POST it receives is appended to FILE as one JSON line (path,
headers, body as text) before it is answered, so a benchmark in another process can check
afterwards what the provider saw (the soak checks that no planted value ever arrived).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import signal
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TextIO

from aiohttp import web
from aiohttp.typedefs import Middleware

from tests.fakes.openai_provider import FakeOpenAI

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def recorder(out: TextIO) -> Middleware:
    """A middleware appending each POST (path, headers, body) to `out`, one JSON line each,
    flushed per line (aiohttp caches the body, so the handler reads it again)."""

    @web.middleware
    async def record(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.method == "POST":
            body = await request.read()
            out.write(
                json.dumps(
                    {
                        "path": request.path,
                        "headers": dict(request.headers),
                        "body": body.decode("utf-8", errors="replace"),
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
            out.flush()
        return await handler(request)

    return record


async def serve(max_seconds: float, record: Path | None = None) -> None:
    fake = FakeOpenAI()
    # The fake records every request for tests; keep only the last few here (bounded memory).
    fake.received = collections.deque(maxlen=8)  # type: ignore[assignment]
    fake.headers = collections.deque(maxlen=8)  # type: ignore[assignment]
    app = fake.app()
    out = record.open("a", encoding="utf-8") if record is not None else None
    if out is not None:
        app.middlewares.append(recorder(out))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    print(f"PORT {port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), max_seconds)
    await runner.cleanup()
    if out is not None:
        out.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=3600.0,
        help="stop by itself after this long (default: 3600)",
    )
    parser.add_argument(
        "--record",
        type=Path,
        metavar="FILE",
        help="append every request received to FILE (JSON lines)",
    )
    args = parser.parse_args()
    asyncio.run(serve(args.max_seconds, args.record))


if __name__ == "__main__":
    main()
