"""Apply a service's database migrations and exit (the Kubernetes migration Job, or by hand):

    python /app/migrate.py reserve        # uses GOVPM_RESERVE_DATABASE_URL like the service

The same code the service runs at start when GOVPM_MIGRATE_ON_START=true (govkit.migrations.upgrade_head).
"""
from __future__ import annotations

import asyncio
import importlib
import sys


async def main(service: str) -> None:
    from govkit.db import make_engine
    from govkit.migrations import upgrade_head

    settings = importlib.import_module(f"{service}.config").Settings()
    root = importlib.import_module(f"{service}.main").SERVICE_ROOT
    engine = make_engine(settings.db_url)
    try:
        await upgrade_head(engine, root)
    finally:
        await engine.dispose()
    print(f"{service}: migrated to head")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: migrate.py <service>")
    asyncio.run(main(sys.argv[1]))
