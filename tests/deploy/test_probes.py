"""The Kubernetes probes hit endpoints that exist and mean what the manifests expect (issue 15: the
gateway's readiness probe pointed at a /readyz it did not have). Each Deployment's probe paths are
taken from the rendered manifests and requested from the real app (in-process, SQLite, no broker)."""

from __future__ import annotations

import importlib

import httpx
import pytest

from govkit.dev.testing import TEST_SECRET, fresh_database_url, service_harness

from .test_kustomize import K8S, by_kind, rendered

SERVICES = ("reserve", "approval", "budget", "oversight", "acceptance")


def probe_paths(name: str) -> set[str]:
    d = by_kind(rendered(K8S / "base"), "Deployment")[name]
    c = d["spec"]["template"]["spec"]["containers"][0]
    return {c[p]["httpGet"]["path"] for p in ("readinessProbe", "livenessProbe", "startupProbe") if p in c}


@pytest.mark.parametrize("name", SERVICES)
async def test_service_probes_answer(name):
    main = importlib.import_module(f"{name}.main")
    config = importlib.import_module(f"{name}.config")
    async with service_harness(main.create_app, config.Settings, f"probe_{name}") as h:
        for path in probe_paths(name):
            r = await h.client.get(path)
            assert r.status_code == 200 and r.json()["status"] == "ok", (name, path, r.text)


async def test_gateway_probes_answer_and_readyz_means_can_serve():
    from gateway.config import Settings
    from gateway.main import create_app

    url = await fresh_database_url("govpm_test_probe_gateway")
    app = create_app(
        Settings(database_url=url, env="test", jwt_secret=TEST_SECRET, kafka_enabled=False, catchup_interval_s=0)
    )
    paths = probe_paths("gateway")
    assert "/readyz" in paths
    async with (
        app.fastapi.router.lifespan_context(app.fastapi),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as c,
    ):
        for path in paths:
            r = await c.get(path)
            assert r.status_code == 200, (path, r.text)
        ready = (await c.get("/readyz")).json()
        assert ready == {"status": "ok", "database": "ok", "routes": "ok"}
        await app.state.engine.dispose()
        app.state.sessionmaker.kw["bind"] = None  # the database goes away
        from sqlalchemy.ext.asyncio import create_async_engine

        gone = create_async_engine("sqlite+aiosqlite:////nonexistent-dir/x.db")
        app.state.sessionmaker.configure(bind=gone)
        r = await c.get("/readyz")
        assert r.status_code == 503 and r.json()["database"] == "down"
        await gone.dispose()
