"""`python -m govkit.dev.cli …`: the development commands — `run` starts the broker, the services and
the gateway on this machine (supervised; `make run`), `token` mints a development JWT (`make token`).
The operations commands (migrate, audit, backup, restore) are `python -m govkit.cli`."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path


def cmd_token(args) -> int:
    from ..auth import ALL_ROLES, mint_token
    from ..settings import DEV_SECRET

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
    from ..settings import DEFAULT_PORTS, SERVICES
    from ..supervisor import Supervisor, WarmStarter
    from .stack import Stack

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
        print("  token:    .venv/bin/python -m govkit.dev.cli token --role unit --org ORG-001 --name 张三")
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="govkit.dev")
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
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
