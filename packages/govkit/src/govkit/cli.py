"""`python -m govkit.cli …`: migrate, verify and anchor an audit chain, back up and restore the embedded
data folder. The development commands (run the stack, mint a token) are `python -m govkit.dev.cli`."""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import sys
from pathlib import Path


def cmd_migrate(args) -> int:
    from .migrations import migrate
    from .settings import SERVICES

    names = args.names or [*SERVICES, "gateway"]

    async def _run() -> None:
        for name in names:
            await migrate(name)

    asyncio.run(_run())
    print(f"migrated to head: {', '.join(names)}")
    return 0


def _database_url(args) -> str | None:
    url = args.database_url or os.environ.get(f"GOVPM_{args.service.upper()}_DATABASE_URL")
    if not url:
        data_dir = Path(os.environ.get("GOVPM_DATA_DIR", ".data")).resolve()
        url = f"sqlite+aiosqlite:///{data_dir / (args.service + '.db')}"
    if url.startswith("sqlite") and not Path(url.split(":///", 1)[1]).exists():
        print(f"no database of {args.service} at {url.split(':///', 1)[1]} (has it run yet?)", file=sys.stderr)
        return None
    return url


def cmd_audit_verify(args) -> int:
    """The links of the chain, and — with a key (--verify-key, GOVPM_AUDIT_VERIFY_KEY_FILE or the
    signing key GOVPM_AUDIT_SIGNING_KEY_FILE) — every signed anchor of its head."""
    from sqlalchemy.exc import DBAPIError

    from .db import make_engine, make_sessionmaker
    from .outbox import verify_chain

    url = _database_url(args)
    if url is None:
        return 2
    key_file = (
        args.verify_key
        or os.environ.get("GOVPM_AUDIT_VERIFY_KEY_FILE")
        or os.environ.get("GOVPM_AUDIT_SIGNING_KEY_FILE")
    )

    async def _run():
        engine = make_engine(url)
        try:
            async with make_sessionmaker(engine, args.service)() as session:
                broken = await verify_chain(session)
                anchors = None
                if key_file:
                    from .anchoring import load_public_key, verify_anchors

                    anchors = await verify_anchors(session, args.service, load_public_key(key_file))
                return broken, anchors
        finally:
            await engine.dispose()

    try:
        broken, anchors = asyncio.run(_run())
    except DBAPIError as exc:  # unreachable, or not a GovPM database
        print(f"cannot read the audit log of {args.service}: {exc.orig}", file=sys.stderr)
        return 2
    failed = bool(broken)
    for b in broken:
        print(f"BROKEN seq={b['seq']}: {b['problem']}")
    if anchors is not None:
        problems, summary = anchors
        for p in problems:
            print(f"BROKEN anchor={p['anchor']}: {p['problem']}")
        failed = failed or bool(problems)
        if args.require_anchor and not summary["anchors"]:
            print("BROKEN: no signed anchor")
            failed = True
        print(
            f"anchors: {summary['anchors']} (last at seq {summary['last_anchor_seq']}, "
            f"{summary['last_anchor_at']}; {summary['unanchored_rows']} rows since)"
        )
    else:
        print("signatures not checked (no key: --verify-key or GOVPM_AUDIT_VERIFY_KEY_FILE)", file=sys.stderr)
    if failed:
        return 1
    print(f"audit chain of {args.service}: intact" + (" and anchored" if anchors is not None else ""))
    return 0


def cmd_audit_anchor(args) -> int:
    """Sign the head of a service's audit chain now (on demand)."""
    from .anchoring import anchor, load_private_key
    from .db import make_engine, make_sessionmaker

    url = _database_url(args)
    key_file = args.key or os.environ.get("GOVPM_AUDIT_SIGNING_KEY_FILE")
    if url is None or not key_file:
        if not key_file:
            print("no signing key: --key or GOVPM_AUDIT_SIGNING_KEY_FILE", file=sys.stderr)
        return 2

    async def _run():
        engine = make_engine(url)
        try:
            async with make_sessionmaker(engine, args.service)() as session:
                row = await anchor(session, args.service, load_private_key(key_file))
                await session.commit()
                return row
        finally:
            await engine.dispose()

    row = asyncio.run(_run())
    print(f"anchored {args.service} at seq {row.head_seq} ({row.head_hash[:16]}…), key {row.key_id}")
    return 0


def cmd_audit_keygen(args) -> int:
    from .anchoring import generate_key

    private, public = generate_key()
    out = Path(args.out)
    out.write_bytes(private)
    out.chmod(0o600)
    Path(str(out) + ".pub").write_bytes(public)
    print(f"wrote {out} (keep it outside the database, e.g. a Kubernetes Secret) and {out}.pub")
    return 0


def _data_dir(args) -> Path:
    return Path(args.data_dir or os.environ.get("GOVPM_DATA_DIR", ".data")).resolve()


def cmd_backup(args) -> int:
    from .backup import BackupError, backup

    try:
        manifest = backup(_data_dir(args), Path(args.dir))
    except (BackupError, sqlite3.Error) as exc:
        print(f"backup failed: {exc}", file=sys.stderr)
        return 2
    kinds = [e["kind"] for e in manifest["entries"].values()]
    print(f"backed up {kinds.count('database')} databases and {kinds.count('file')} files into {args.dir}")
    return 0


def cmd_restore(args) -> int:
    from .backup import BackupError, restore

    try:
        manifest = restore(Path(args.dir), _data_dir(args))
    except BackupError as exc:
        print(f"restore refused: {exc}", file=sys.stderr)
        return 2
    print(
        f"restored {len(manifest['entries'])} entries of the backup of {manifest['created_at']} into {_data_dir(args)}"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="govkit")
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("migrate", help="apply the migrations of the services and the gateway (default: all)")
    p.add_argument("names", nargs="*", help="reserve, approval, budget, oversight, acceptance, gateway")
    p.set_defaults(func=cmd_migrate)
    p = sub.add_parser("audit-verify", help="verify a service's hash-chained audit log and its signed anchors")
    p.add_argument("--service", required=True)
    p.add_argument("--database-url")
    p.add_argument("--verify-key", help="Ed25519 public (or private) key PEM of the anchors")
    p.add_argument("--require-anchor", action="store_true", help="fail when the chain has no signed anchor")
    p.set_defaults(func=cmd_audit_verify)
    p = sub.add_parser("backup", help="copy the embedded data folder (SQLite databases, stored files) to DIR")
    p.add_argument("dir", help="a new or empty folder")
    p.add_argument("--data-dir", help="default: GOVPM_DATA_DIR or .data")
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", help="verify a backup and copy it into an empty data folder (stack stopped)")
    p.add_argument("dir", help="a folder made by `backup`")
    p.add_argument("--data-dir", help="default: GOVPM_DATA_DIR or .data")
    p.set_defaults(func=cmd_restore)
    p = sub.add_parser("audit-anchor", help="sign the head of a service's audit chain now")
    p.add_argument("--service", required=True)
    p.add_argument("--database-url")
    p.add_argument("--key", help="Ed25519 private key PEM (default GOVPM_AUDIT_SIGNING_KEY_FILE)")
    p.set_defaults(func=cmd_audit_anchor)
    p = sub.add_parser("audit-keygen", help="write a new Ed25519 anchoring key pair (PEM)")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_audit_keygen)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
