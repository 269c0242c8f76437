"""Backup and restore of the embedded default (`make run`): every SQLite database of the data folder
through SQLite's online backup API (a consistent copy while the services run) and every stored file,
with a manifest of SHA-256 checksums that `restore` verifies before it writes anything.

Databases are copied before files: a stored document is written before the row that refers to it
commits, so every document a copied database names is already on disk when the files are copied.
PostgreSQL deployments use pg_dump instead (see deploy/README.md)."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

MANIFEST = "govpm-backup.json"
FORMAT = 1
# Not part of a backup: logs, SQLite's side files (the online backup copies their contents), temporary files.
SKIP_DIRS = {"logs", "tmp", ".tmp"}
SKIP_SUFFIXES = (".db-wal", ".db-shm", ".db-journal", ".tmp", ".part")


class BackupError(Exception):
    pass


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _empty(path: Path) -> bool:
    return not path.exists() or (path.is_dir() and not any(path.iterdir()))


def _files(data_dir: Path):
    for path in sorted(data_dir.rglob("*")):
        rel = path.relative_to(data_dir)
        if not path.is_file() or rel.parts[0] in SKIP_DIRS or path.name.endswith(SKIP_SUFFIXES):
            continue
        if path.suffix == ".db" and len(rel.parts) == 1:
            continue  # databases are copied by the backup API
        yield rel


def backup(data_dir: Path, dest: Path) -> dict:
    """Copy the data folder's databases and files into `dest` (new or empty); returns the manifest."""
    data_dir, dest = data_dir.resolve(), dest.resolve()
    if not data_dir.is_dir():
        raise BackupError(f"no data folder at {data_dir}")
    if dest == data_dir or data_dir in dest.parents:
        raise BackupError("the backup folder must be outside the data folder")
    if not _empty(dest):
        raise BackupError(f"{dest} is not empty; choose a new folder for each backup")
    dest.mkdir(parents=True, exist_ok=True)
    entries: dict[str, dict] = {}
    databases = sorted(p for p in data_dir.glob("*.db") if p.is_file())
    for db in databases:
        target = dest / db.name
        src = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(target)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        entries[db.name] = {"sha256": _sha256(target), "size": target.stat().st_size, "kind": "database"}
    for rel in _files(data_dir):
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(data_dir / rel, target)
        entries[rel.as_posix()] = {"sha256": _sha256(target), "size": target.stat().st_size, "kind": "file"}
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "source": str(data_dir),
        "entries": entries,
    }
    # Written last: a folder without it is an interrupted backup, which restore refuses.
    (dest / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def verify(src: Path) -> dict:
    """The manifest of a complete, unaltered backup; BackupError listing every problem otherwise."""
    path = src / MANIFEST
    if not path.is_file():
        raise BackupError(f"{src} holds no complete backup ({MANIFEST} missing)")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    problems = []
    for rel, entry in manifest["entries"].items():
        file = src / rel
        if not file.is_file():
            problems.append(f"{rel}: missing")
        elif _sha256(file) != entry["sha256"]:
            problems.append(f"{rel}: checksum differs")
    if problems:
        raise BackupError("backup damaged: " + "; ".join(problems))
    return manifest


def restore(src: Path, data_dir: Path) -> dict:
    """Verify the backup, then copy it into `data_dir`, which must be new or empty (stop the stack first)."""
    src, data_dir = src.resolve(), data_dir.resolve()
    manifest = verify(src)
    if not _empty(data_dir):
        raise BackupError(f"{data_dir} is not empty; restore into a new data folder")
    data_dir.mkdir(parents=True, exist_ok=True)
    for rel in manifest["entries"]:
        target = data_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src / rel, target)
    return manifest
