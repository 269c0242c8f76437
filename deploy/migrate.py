"""Apply a service's database migrations and exit (the Kubernetes migration Job, or by hand):

    python /app/migrate.py reserve        # uses GOVPM_RESERVE_DATABASE_URL like the service

The same code the service runs at start when GOVPM_MIGRATE_ON_START=true (govkit.migrations).
"""

from __future__ import annotations

import asyncio
import sys

from govkit.migrations import migrate

if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: migrate.py <service>")
    asyncio.run(migrate(sys.argv[1]))
    print(f"{sys.argv[1]}: migrated to head")
