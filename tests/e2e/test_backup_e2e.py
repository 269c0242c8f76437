"""A backup of the embedded default taken while the stack runs, restored into an empty data folder:
the stack comes up on it with every project, timeline and audit chain intact."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from tests.e2e.flows import declare_emergency
from tests.e2e.support import Api, build_stack, eventually, started

from govkit.settings import SERVICES


def cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "govkit.cli", *args, "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def timeline(bdb: Api, pid: str) -> list[str]:
    return [e["type"] for e in bdb.get(f"/api/v1/projects/{pid}/timeline").json().get("items", [])]


def test_backup_while_running_restores_into_an_empty_folder():
    backup_dir = Path(tempfile.mkdtemp(prefix="govpm-backup-")) / "bk"
    with (
        started(build_stack("backup-src", embedded=True)) as source,
        Api(source.gateway_url, "unit", "ORG-BK") as unit,
        Api(source.gateway_url, "bdb", "ORG-BDB") as bdb,
    ):
        pids = [declare_emergency(unit, "150000.00") for _ in range(3)]
        for pid in pids:
            # the flow has settled: approval opened the application in answer to the registration
            eventually(lambda pid=pid: "ApplicationOpened" in timeline(bdb, pid), timeout=30)
        before = {pid: timeline(bdb, pid) for pid in pids}
        done = cli("backup", str(backup_dir), data_dir=source.data_dir)  # the stack keeps running
        assert done.returncode == 0, done.stderr
    restored_dir = Path(tempfile.mkdtemp(prefix="govpm-restored-")) / "data"
    done = cli("restore", str(backup_dir), data_dir=restored_dir)
    assert done.returncode == 0, done.stderr
    for name in SERVICES:
        verified = subprocess.run(
            [
                sys.executable,
                "-m",
                "govkit.cli",
                "audit-verify",
                "--service",
                name,
                "--database-url",
                f"sqlite+aiosqlite:///{restored_dir / (name + '.db')}",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert verified.returncode == 0 and "intact" in verified.stdout, (name, verified.stdout, verified.stderr)
    with (
        started(build_stack("backup-dst", embedded=True, data_dir=restored_dir)) as restored,
        Api(restored.gateway_url, "unit", "ORG-BK") as unit,
        Api(restored.gateway_url, "bdb", "ORG-BDB") as bdb,
    ):
        for pid in pids:
            assert unit.get(f"/api/v1/reserve/declarations/{pid}").status_code == 200
            assert timeline(bdb, pid) == before[pid]
        # the restored stack works on: a new project reaches the timeline
        pid = declare_emergency(unit, "90000.00")
        eventually(lambda: "EmergencyProjectRegistered" in timeline(bdb, pid), timeout=30)
