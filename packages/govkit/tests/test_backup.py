"""Backup and restore of the embedded data folder (SQLite online backup + stored files + manifest)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from govkit.backup import MANIFEST, BackupError, backup, restore, verify
from govkit.cli import main


def data_folder(root: Path) -> Path:
    data = root / "data"
    (data / "files" / "ab").mkdir(parents=True)
    (data / "logs").mkdir()
    db = sqlite3.connect(data / "reserve.db")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE t (v TEXT)")
    db.execute("INSERT INTO t VALUES ('一')")
    db.commit()
    db.close()
    (data / "files" / "ab" / "abcdef").write_bytes(b"%PDF-1.7 stored document")
    (data / "logs" / "reserve.log").write_text("not backed up")
    (data / "files" / "ab" / "upload.part").write_bytes(b"half an upload")
    return data


def rows(db: Path) -> list:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT v FROM t").fetchall()
    finally:
        conn.close()


def test_backup_then_restore_gives_the_same_databases_and_files(tmp_path):
    data = data_folder(tmp_path)
    live = sqlite3.connect(data / "reserve.db")  # a service holding the database open, mid-write
    live.execute("BEGIN IMMEDIATE")
    live.execute("INSERT INTO t VALUES ('uncommitted')")
    manifest = backup(data, tmp_path / "bk")
    live.rollback()
    live.close()
    assert set(manifest["entries"]) == {"reserve.db", "files/ab/abcdef"}  # no logs, no half upload
    restore(tmp_path / "bk", tmp_path / "restored")
    assert rows(tmp_path / "restored" / "reserve.db") == [("一",)]  # committed rows only
    assert (tmp_path / "restored" / "files" / "ab" / "abcdef").read_bytes() == b"%PDF-1.7 stored document"


def test_restore_refuses_a_damaged_or_incomplete_backup_and_writes_nothing(tmp_path):
    data = data_folder(tmp_path)
    backup(data, tmp_path / "bk")
    (tmp_path / "bk" / "files" / "ab" / "abcdef").write_bytes(b"tampered")
    with pytest.raises(BackupError, match="files/ab/abcdef: checksum differs"):
        restore(tmp_path / "bk", tmp_path / "r1")
    assert not (tmp_path / "r1").exists()
    (tmp_path / "bk" / MANIFEST).unlink()  # an interrupted backup has no manifest
    with pytest.raises(BackupError, match="no complete backup"):
        verify(tmp_path / "bk")


def test_restore_only_into_an_empty_folder_and_backup_only_into_a_new_one(tmp_path):
    data = data_folder(tmp_path)
    backup(data, tmp_path / "bk")
    with pytest.raises(BackupError, match="not empty"):
        backup(data, tmp_path / "bk")
    with pytest.raises(BackupError, match="outside the data folder"):
        backup(data, data / "bk")
    with pytest.raises(BackupError, match="not empty"):
        restore(tmp_path / "bk", data)
    assert rows(data / "reserve.db") == [("一",)]


def test_cli_backup_and_restore(tmp_path, capsys):
    data = data_folder(tmp_path)
    assert main(["backup", str(tmp_path / "bk"), "--data-dir", str(data)]) == 0
    assert "1 databases and 1 files" in capsys.readouterr().out
    assert main(["restore", str(tmp_path / "bk"), "--data-dir", str(data)]) == 2  # not empty
    assert "restore refused" in capsys.readouterr().err
    assert main(["restore", str(tmp_path / "bk"), "--data-dir", str(tmp_path / "new")]) == 0
    assert json.loads((tmp_path / "bk" / MANIFEST).read_text())["format"] == 1
