"""Vanilla Presidio in a proxy loop: the yardstick Voile's throughput is measured against.

Run as `python -m bench.vanilla_proxy --upstream URL` from the repository root. It binds an
ephemeral port on 127.0.0.1, prints `PORT <n>` once its models are loaded, and serves until
terminated or until `--max-seconds` pass.

It is what a team writes first with Presidio's defaults, in the same framework as Voile
(aiohttp): `POST /openai/v1/chat/completions` reads the body, runs `AnalyzerEngine.analyze`
(the default recognizer registry, full spaCy pipelines of the same models Voile loads, see
`reference.vanilla_analyzer`) and `AnonymizerEngine.anonymize` (type placeholders) on each
message's text, in the event loop as a handler naturally does, forwards the masked request
to the provider, and relays its answer (a stream as it comes). It does less than Voile: no
restoration, no audit trail, no policy, no language identification (the benchmark names
each text's language in an `x-bench-language` header, as vanilla Presidio must be told), so
a ratio against it flatters it, not Voile.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
from typing import Any

import aiohttp
from aiohttp import web

from bench.reference import vanilla_analyzer

LANGUAGE_HEADER = "x-bench-language"
UPSTREAM_KEY = web.AppKey("upstream", str)
SESSION_KEY = web.AppKey("session", aiohttp.ClientSession)
MASK_KEY = web.AppKey("mask", Any)


def masker() -> Any:
    """analyze + anonymize of one text in one language: Presidio as its README shows it."""
    from presidio_anonymizer import AnonymizerEngine  # noqa: PLC0415 - heavy, after the CLI

    analyzer = vanilla_analyzer()
    anonymizer = AnonymizerEngine()

    def mask(text: str, language: str) -> str:
        results = analyzer.analyze(text=text, language=language)
        return str(anonymizer.anonymize(text=text, analyzer_results=results).text)  # type: ignore[arg-type]

    return mask


async def chat(request: web.Request) -> web.StreamResponse:
    body = await request.json()
    language = request.headers.get(LANGUAGE_HEADER, "en")
    mask = request.app[MASK_KEY]
    for message in body.get("messages", []):
        if isinstance(message.get("content"), str):
            message["content"] = mask(message["content"], language)
    upstream = f"{request.app[UPSTREAM_KEY]}/v1/chat/completions"
    headers = {"Authorization": "Bearer sk-vanilla"}
    async with request.app[SESSION_KEY].post(upstream, json=body, headers=headers) as answer:
        if not body.get("stream"):
            return web.Response(
                status=answer.status, body=await answer.read(), content_type="application/json"
            )
        response = web.StreamResponse(status=answer.status)
        response.content_type = "text/event-stream"
        await response.prepare(request)
        async for chunk in answer.content.iter_any():
            await response.write(chunk)
        await response.write_eof()
        return response


async def serve(upstream: str, max_seconds: float) -> None:
    app = web.Application()
    app[UPSTREAM_KEY] = upstream
    app[MASK_KEY] = masker()
    app.router.add_post("/openai/v1/chat/completions", chat)
    session = aiohttp.ClientSession()
    app[SESSION_KEY] = session
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(f"PORT {runner.addresses[0][1]}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), max_seconds)
    await runner.cleanup()
    await session.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upstream", required=True, help="the fake provider's base URL")
    parser.add_argument("--max-seconds", type=float, default=3600.0)
    args = parser.parse_args()
    asyncio.run(serve(args.upstream, args.max_seconds))


if __name__ == "__main__":
    main()
