"""`python -m oversight.rebuild`: rebuild the whole-project read model and timeline from every
service's /internal/events log (the same as `POST /projects:rebuild`)."""

from __future__ import annotations

import asyncio
import json

from govkit.db import make_engine, make_sessionmaker

from .config import Settings
from .projects.service import rebuild
from .projects.sources import http_source


async def main() -> dict:
    settings = Settings()
    engine = make_engine(settings.db_url)
    try:
        async with make_sessionmaker(engine, "oversight")() as session:
            result = await rebuild(session, http_source(settings))
            await session.commit()
            return result
    finally:
        await engine.dispose()


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main()), ensure_ascii=False))
