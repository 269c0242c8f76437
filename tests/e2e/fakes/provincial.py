"""A small fake of the provincial online approval platform (江苏省投资项目在线审批监管平台).

It speaks the HTTP the approval adapter uses: `POST /project-codes` (a code request, answered 202)
and, shortly after, a signed callback to the configured URL:
`POST <callback_url>` with `X-Timestamp` and `X-Signature: sha256=<hex HMAC-SHA256(secret,
"<X-Timestamp>.<raw body>")>`, body `{project_id, project_code}` (code shape of X-13.1).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import threading
import time

import httpx
import orjson
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from govkit.dev.stack import free_port, wait_port


def signed_headers(secret: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    mac = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return {"X-Timestamp": stamp, "X-Signature": f"sha256={mac}", "Content-Type": "application/json"}


class FakeProvincialPlatform:
    def __init__(self, secret: str, callback_url: str | None = None, region: str = "320900"):
        self.secret = secret
        self.callback_url = callback_url
        self.region = region
        self.requests: list[dict] = []
        self.callbacks: list[dict] = []  # {project_id, project_code, status}
        self.port = free_port()
        self.app = self._make_app()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def code_for(self, serial: int) -> str:
        return f"{time.gmtime().tm_year}-{self.region}-65-01-{serial:06d}"

    def _make_app(self) -> FastAPI:
        app = FastAPI(title="fake provincial platform")

        @app.post("/project-codes", status_code=202)
        async def request_code(request: Request):
            body = orjson.loads(await request.body())
            self.requests.append(body)
            code = self.code_for(len(self.requests))
            if self.callback_url:
                asyncio.get_running_loop().create_task(self._call_back(body["project_id"], code))
            return JSONResponse({"request_id": f"REQ-{len(self.requests):06d}"}, status_code=202)

        @app.get("/requests")
        async def requests():
            return {"requests": self.requests, "callbacks": self.callbacks}

        return app

    async def _call_back(self, project_id: str, code: str) -> None:
        raw = orjson.dumps({"project_id": project_id, "project_code": code})
        async with httpx.AsyncClient(timeout=10) as client:
            for attempt in range(20):
                await asyncio.sleep(0.2 if attempt == 0 else 0.5)
                try:
                    resp = await client.post(self.callback_url, content=raw, headers=signed_headers(self.secret, raw))
                except httpx.HTTPError:
                    continue
                self.callbacks.append({"project_id": project_id, "project_code": code, "status": resp.status_code})
                if resp.status_code < 500:
                    return

    def start(self) -> FakeProvincialPlatform:
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="fake-provincial", daemon=True)
        self._thread.start()
        wait_port(self.port)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=5)


if __name__ == "__main__":  # python tests/e2e/fakes/provincial.py <secret> <callback_url>
    import sys

    fake = FakeProvincialPlatform(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None).start()
    print(fake.url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()
