"""`python -m govkit.cli …`: run the system, migrate, mint a development token, verify an audit chain,
back up and restore the embedded data folder."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sqlite3
import sys
import time
from pathlib import Path


def cmd_token(args) -> int:
    from .auth import ALL_ROLES, mint_token
    from .settings import DEV_SECRET

    roles = [r for part in args.role for r in part.split(",") if r]
    unknown = set(roles) - ALL_ROLES
    if unknown:
        print(f"unknown role(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(ALL_ROLES))}", file=sys.stderr)
        return 2
    secret = os.environ.get("GOVPM_JWT_SECRET", DEV_SECRET)
    print(
        mint_token(
            secret, sub=args.sub or f"{args.name}@{args.org}", org=args.org, roles=roles, name=args.name, ttl_s=args.ttl
        )
    )
    return 0


def cmd_run(args) -> int:
    from .settings import DEFAULT_PORTS, SERVICES
    from .stack import Stack
    from .supervisor import Supervisor, WarmStarter

    data_dir = Path(os.environ.get("GOVPM_DATA_DIR", ".data")).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    ports = {name: int(os.environ.get(f"GOVPM_{name.upper()}_PORT", port)) for name, port in DEFAULT_PORTS.items()}
    broker_port = int(os.environ.get("GOVPM_BROKER_PORT", "9092"))
    stack = Stack(data_dir=data_dir, ports=ports, broker_port=broker_port, log_dir=data_dir / "logs")
    stopping = False

    def _stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    t0 = time.monotonic()
    try:
        print(f"starting broker on {stack.bootstrap} …", flush=True)
        stack.start_all()
        print(f"GovPM is up in {time.monotonic() - t0:.1f}s", flush=True)
        print(f"  gateway   {stack.gateway_url}  (docs {stack.gateway_url}/docs, health {stack.gateway_url}/healthz)")
        for name in SERVICES:
            print(f"  {name:<11}{stack.url(name)}")
        print(f"  broker    {stack.bootstrap}   data {data_dir}   logs {data_dir / 'logs'}")
        print("  token:    .venv/bin/python -m govkit.cli token --role unit --org ORG-001 --name 张三")
        print("Ctrl-C stops everything.", flush=True)
        starter = None
        if os.environ.get("GOVPM_WARM_RESTARTS", "true").lower() not in ("0", "false", "no", "off"):
            starter = WarmStarter(stack)  # restarts fork this process once it imported the services
            starter.preload_in_background()  # meanwhile, restarts start a fresh interpreter
        supervisor = Supervisor(stack, starter=starter)  # a child that dies is started again, with backoff
        while not stopping:
            supervisor.tick()
            time.sleep(0.1)
    except Exception as exc:  # noqa: BLE001
        print(f"start failed: {exc}", file=sys.stderr)
        stack.stop()
        return 1
    print("stopping …", flush=True)
    stack.stop()
    print("stopped.")
    return 0


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
    p = sub.add_parser("token", help="mint a development JWT (HS256, GOVPM_JWT_SECRET)")
    p.add_argument("--role", action="append", required=True, help="role code; repeat or comma-separate")
    p.add_argument("--org", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--sub")
    p.add_argument("--ttl", type=int, default=12 * 3600)
    p.set_defaults(func=cmd_token)
    p = sub.add_parser("run", help="start broker, services and gateway; Ctrl-C stops all")
    p.set_defaults(func=cmd_run)
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
