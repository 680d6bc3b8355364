"""The admin listener: what operators, their Prometheus and their orchestrator ask of a running
Voile, on a port of its own (`admin.listen`), off unless configured.

1. Never the proxy's port (checked by the config, and again by `voile serve` after `--port`):
   every app can reach the proxy's port, and before authentication anyone who can reach the
   network can; metrics name apps, volumes and the kinds of personal data each app sends.
2. It shares the proxy's services (the same process, the same detector, audit writer and
   metrics): it is a second `web.Application` holding the proxy's, started by `attach` when
   the proxy starts, before the models load, so `/livez` and `/readyz` (`starting`) answer
   while they do; it stops before the proxy's services are torn down.
3. Routes: `/livez`, `/readyz` (`proxy.health`), `/metrics` (`proxy.metrics`).
"""

from __future__ import annotations

import socket
from collections.abc import Awaitable, Callable

from aiohttp import web

from proxy.app import METRICS, SERVICES
from proxy.health import livez, readiness
from proxy.logging import get_logger

log = get_logger("voile.admin")

PROXY_APP = web.AppKey("proxy_app", web.Application)

Hook = Callable[[web.Application], Awaitable[None]]


def create_admin_app(proxy_app: web.Application) -> web.Application:
    """The admin application of `proxy_app` (built by `proxy.app.create_app`)."""
    admin = web.Application()
    admin[PROXY_APP] = proxy_app
    admin.router.add_get("/livez", livez)
    admin.router.add_get("/readyz", readyz)
    admin.router.add_get("/metrics", metrics)
    return admin


async def readyz(request: web.Request) -> web.Response:
    return await readiness(request.app[PROXY_APP].get(SERVICES))


async def metrics(request: web.Request) -> web.Response:
    """Prometheus' text format, or OpenMetrics if the scraper asks (`proxy.metrics`)."""
    body, content_type = request.app[PROXY_APP][METRICS].exposition(
        request.headers.get("Accept", "")
    )
    return web.Response(body=body, headers={"Content-Type": content_type})


def attach(proxy_app: web.Application, sockets: list[socket.socket]) -> None:
    """Serve `proxy_app`'s admin application on `sockets` (bound by `voile serve`) for as long
    as `proxy_app` runs: started first, stopped at shutdown, before its services close."""
    runner = web.AppRunner(create_admin_app(proxy_app), access_log=None, handler_cancellation=True)
    started: list[web.AppRunner] = []

    async def start(_: web.Application) -> None:
        await runner.setup()
        started.append(runner)
        for sock in sockets:
            await web.SockSite(runner, sock).start()
            host, port = sock.getsockname()[:2]
            log.info(
                "admin_listening", address=f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
            )

    async def stop(_: web.Application) -> None:
        # At shutdown; again at cleanup, for a start that failed before shutdown could run.
        while started:
            await started.pop().cleanup()

    proxy_app.on_startup.insert(0, start)
    proxy_app.on_shutdown.append(stop)
    proxy_app.on_cleanup.append(stop)
