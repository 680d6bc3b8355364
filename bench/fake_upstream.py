"""The test suite's fake OpenAI provider, in echo mode, as its own process on 127.0.0.1.

Run as `python -m bench.fake_upstream` from the repository root (so `tests.fakes` imports).
It binds an ephemeral port, prints `PORT <n>` on stdout so the benchmark learns where it
listens, and serves until it is terminated, or until `--max-seconds` pass: a benchmark that
crashed can never leave it running for long.

It runs in a process of its own so that the benchmark client, the fake and Voile do not share
an event loop: otherwise the "direct" figures would include the fake's work on the client's
loop and the comparison with Voile would be skewed.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import signal

from aiohttp import web

from tests.fakes.openai_provider import FakeOpenAI


async def serve(max_seconds: float) -> None:
    fake = FakeOpenAI()
    # The fake records every request for tests; keep only the last few here (bounded memory).
    fake.received = collections.deque(maxlen=8)  # type: ignore[assignment]
    fake.headers = collections.deque(maxlen=8)  # type: ignore[assignment]
    runner = web.AppRunner(fake.app(), access_log=None)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-seconds", type=float, default=3600.0,
                        help="stop by itself after this long (default: 3600)")
    args = parser.parse_args()
    asyncio.run(serve(args.max_seconds))


if __name__ == "__main__":
    main()
