"""Database trouble is never a 500: a lost uniqueness race is a 409, an unreachable or exhausted
database a 503 with Retry-After — both problem+json, nothing written."""
import httpx
from fastapi import FastAPI
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as SATimeoutError

from govkit.errors import PROBLEM, install_error_handlers


def _app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/race")
    async def race():
        raise IntegrityError("INSERT …", {}, Exception("duplicate key value"))

    @app.get("/down")
    async def down():
        raise DBAPIError("connect", {}, Exception("sorry, too many clients already"))

    @app.get("/pool")
    async def pool():
        raise SATimeoutError("QueuePool limit reached")

    return app


async def test_database_errors_map_to_409_and_503():
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=_app()), base_url="http://t") as c:
        r = await c.get("/race")
        assert r.status_code == 409 and r.headers["content-type"] == PROBLEM
        for path in ("/down", "/pool"):
            r = await c.get(path)
            assert r.status_code == 503 and r.headers["retry-after"] == "1"
            assert r.headers["content-type"] == PROBLEM and r.json()["status"] == 503
