"""The console in a real browser against the real stack: Debian's Chromium driven by Playwright
(web/e2e/*.test.mjs, node's test runner) — one whole project life clicked through by the roles in
turn, a refusal with its article, a unit that cannot see another unit's project, a 401 back to
sign-in, and screenshots of every main page with axe-core (kept in web/artifacts/, gitignored)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from tests.e2e.support import build_stack, free_port, started

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
DIST = Path(os.environ.get("GOVPM_CONSOLE_DIST", WEB / "dist"))  # the built console the gateway serves
# Order matters: the life test makes the data the screenshots show.
SUITES = ["e2e/life.test.mjs", "e2e/screens.test.mjs"]


def _prepare() -> None:
    if shutil.which("node") is None:
        pytest.fail("Node.js 20+ is needed for the console's browser tests (apt-get install nodejs npm)")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM} (make system-deps installs it)")
    subprocess.run([str(ROOT / "scripts/console.sh"), "deps"], check=True)
    if not (DIST / "index.html").exists():
        subprocess.run(["npx", "vite", "build", "--logLevel", "warn"], cwd=WEB, check=True)


def _browser_tests(stack, suites: list[str], artifacts: Path, timeout: int = 1500, **env) -> None:
    """Run node's test runner over `suites` (web/e2e/*.test.mjs) against `stack`; fail with its output."""
    env = {
        **os.environ,
        "GOVPM_URL": stack.gateway_url,
        "GOVPM_ARTIFACTS": str(artifacts),
        "CHROMIUM": CHROMIUM,
        **env,
    }
    run = subprocess.run(
        ["node", "--test", "--test-concurrency=1", "--test-reporter=spec", *suites],
        cwd=WEB,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    print(run.stdout[-20000:])
    print(run.stderr[-5000:])
    assert run.returncode == 0, (
        f"browser tests failed (screenshots in {artifacts}):\n{run.stdout[-8000:]}\n{run.stderr[-3000:]}"
    )


def _artifacts() -> Path:
    artifacts = WEB / "artifacts"
    artifacts.mkdir(exist_ok=True)
    return artifacts


@pytest.mark.timeout(1800)  # one browser session after another through a whole life; slow on a busy machine
def test_console_in_the_browser():
    _prepare()
    artifacts = _artifacts()
    with started(build_stack("console", GOVPM_GATEWAY_CONSOLE_DIR=str(DIST))) as stack:
        _browser_tests(stack, SUITES, artifacts)
    shots = sorted(p.name for p in artifacts.glob("page-*.png"))
    for page in (
        "workbench",
        "projects",
        "project-detail",
        "declare",
        "review",
        "funds",
        "supervision",
        "acceptance",
        "admin",
        "stats",
    ):
        assert any(s.startswith(f"page-{page}-") for s in shots), f"no screenshot of {page}: {shots}"


@pytest.mark.timeout(900)
def test_console_admin_in_the_browser():
    """管理 (policy versions, Excel imports and the rebuild with their progress) and 统计 from the
    server's aggregate, on a stack of their own."""
    _prepare()
    with started(build_stack("console-admin", GOVPM_GATEWAY_CONSOLE_DIR=str(DIST))) as stack:
        _browser_tests(stack, ["e2e/admin.test.mjs"], _artifacts(), timeout=800)


@pytest.mark.timeout(900)
def test_console_oidc_sign_in_in_the_browser():
    """Production sign-in: OpenID Connect code + PKCE against a local provider (web/e2e/oidc-provider.mjs,
    the `oidc-provider` package), the gateway configured with GOVPM_OIDC_ISSUER/GOVPM_OIDC_CLIENT_ID
    verifying its tokens by the provider's keys."""
    _prepare()
    stack = build_stack("console-oidc", GOVPM_GATEWAY_CONSOLE_DIR=str(DIST))
    port = free_port()
    provider = subprocess.Popen(
        ["node", "e2e/oidc-provider.mjs"],
        cwd=WEB,
        env={**os.environ, "OIDC_PORT": str(port), "CONSOLE_ORIGIN": stack.gateway_url.rstrip("/")},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        ready = provider.stdout.readline()
        while ready and not ready.startswith("ready "):
            ready = provider.stdout.readline()
        assert ready.startswith("ready "), "the OIDC provider did not start"
        issuer = ready.split()[1]
        stack.env.update(
            GOVPM_OIDC_ISSUER=issuer,
            GOVPM_OIDC_CLIENT_ID="govpm-console",
            GOVPM_OIDC_AUDIENCE="govpm-api",
            GOVPM_OIDC_SCOPE="openid profile govpm",
        )
        with started(stack):
            _browser_tests(stack, ["e2e/oidc.test.mjs"], _artifacts(), timeout=800, OIDC_ISSUER=issuer)
    finally:
        provider.terminate()
        provider.wait(timeout=10)
