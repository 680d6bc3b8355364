"""Liveness and readiness, answered alike on the proxy's port and on the admin listener.

Liveness (`/livez`) says whether to restart the process: the event loop answers. It is cheap
on purpose (no store, no worker): a proxy whose audit store is down is not ready, but
restarting it would not help.

Readiness (`/readyz`, also `/healthz` on the proxy's port) says what the next request would
meet, not what start-up saw: ready means a detection worker is alive with its models loaded
now, and an audit entry can be committed now (a probe of the real write path, done at most
once a second however often this is asked; see `AuditWriter.ready`). A load balancer should
stop sending traffic to a proxy that would only refuse it. While the models are still loading
(the admin listener answers from the start, the proxy's port once they are loaded) it says
`starting`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from proxy.relay import Services


async def livez(_request: web.Request) -> web.Response:
    return web.json_response({"status": "alive"})


async def readiness(services: Services | None) -> web.Response:
    """The readiness answer for `services`, None while they are being started."""
    if services is None:
        return web.json_response(
            {"status": "starting", "detection": False, "audit": False}, status=503
        )
    detection = bool(services.detector.ready)
    audit = await services.audit.ready()
    ok = detection and audit
    return web.json_response(
        {"status": "ok" if ok else "unavailable", "detection": detection, "audit": audit},
        status=200 if ok else 503,
    )
