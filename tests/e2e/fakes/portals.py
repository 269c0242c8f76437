"""Small fake HTTP servers speaking the portals' protocols (see gateway/src/gateway/portals.py)
and a webhook receiver. Each runs a stdlib HTTP server in a daemon thread on a free loopback port,
so both synchronous end-to-end tests and in-process async tests can use them.

- `FakeYanzhengtong` (盐政通 to-dos): `PUT /todos/{id}` opens (or re-opens) a to-do,
  `POST /todos/{id}/complete` marks it done (404 when unknown).
- `FakeSusufuban` (苏服办): `POST /project-status` records a status change (de-duplicated by event_id).
- `FakeReceiver`: a departmental system receiving webhooks; `fail_first=n` answers 503 n times.
Every server can be told to fail its next `n` requests (`fail_next`) to exercise retries.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TODO_FIELDS = {"todo_id", "kind", "role", "project_id", "title", "summary", "link", "created_at", "source"}
STATUS_FIELDS = {"event_id", "project_id", "project_code", "title", "org", "status", "status_text", "occurred_at"}


class _Server:
    def __init__(self, token: str | None = None):
        self.token = token
        self.lock = threading.Lock()
        self.fail_next = 0
        self.requests: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self):
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                with outer.lock:
                    outer.requests.append(
                        {
                            "method": self.command,
                            "path": self.path,
                            "headers": {k.lower(): v for k, v in self.headers.items()},
                            "body": raw,
                        }
                    )
                    failing = outer.fail_next > 0
                    if failing:
                        outer.fail_next -= 1
                if failing:
                    return self._reply(503, {"error": "temporarily unavailable"})
                if outer.token and self.headers.get("authorization") != f"Bearer {outer.token}":
                    return self._reply(401, {"error": "bad token"})
                try:
                    status, body = outer.route(self.command, self.path, raw, dict(self.headers))
                except Exception as exc:  # noqa: BLE001
                    status, body = 400, {"error": str(exc)}
                self._reply(status, body)

            def _reply(self, status, body):
                data = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _handle  # noqa: N815

            def log_message(self, *a):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}"

    def start(self):
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def route(self, method: str, path: str, raw: bytes, headers: dict) -> tuple[int, dict]:
        raise NotImplementedError


class FakeYanzhengtong(_Server):
    """盐政通: the bureaus' to-do in-tray."""

    def __init__(self, token: str | None = None):
        super().__init__(token)
        self.todos: dict[str, dict] = {}

    def route(self, method, path, raw, headers):
        parts = path.strip("/").split("/")
        if method == "PUT" and len(parts) == 2 and parts[0] == "todos":
            body = json.loads(raw)
            missing = TODO_FIELDS - set(body)
            if missing or body["todo_id"] != parts[1]:
                return 400, {"error": f"missing {sorted(missing)} or id mismatch"}
            with self.lock:
                existed = parts[1] in self.todos
                self.todos[parts[1]] = {**body, "status": "open", "outcome": None}
            return (200 if existed else 201), {"todo_id": parts[1], "status": "open"}
        if method == "POST" and len(parts) == 3 and parts[0] == "todos" and parts[2] == "complete":
            body = json.loads(raw)
            with self.lock:
                todo = self.todos.get(parts[1])
                if todo is None:
                    return 404, {"error": "unknown to-do"}
                todo.update(status="done", outcome=body.get("outcome"), completed_at=body["completed_at"])
            return 200, {"todo_id": parts[1], "status": "done"}
        return 404, {"error": "no such endpoint"}

    def by_project(self, project_id: str) -> dict[str, dict]:
        with self.lock:
            return {k: dict(v) for k, v in self.todos.items() if v["project_id"] == project_id}


class FakeSusufuban(_Server):
    """苏服办: the public portal's project status feed."""

    def __init__(self, token: str | None = None):
        super().__init__(token)
        self.statuses: dict[str, dict] = {}

    def route(self, method, path, raw, headers):
        if method == "POST" and path == "/project-status":
            body = json.loads(raw)
            missing = STATUS_FIELDS - set(body)
            if missing:
                return 400, {"error": f"missing {sorted(missing)}"}
            with self.lock:
                self.statuses.setdefault(body["event_id"], body)
            return 202, {"accepted": body["event_id"]}
        return 404, {"error": "no such endpoint"}

    def of_project(self, project_id: str) -> list[str]:
        with self.lock:
            rows = [s for s in self.statuses.values() if s["project_id"] == project_id]
        return [s["status"] for s in sorted(rows, key=lambda s: s["occurred_at"])]


class FakeReceiver(_Server):
    """A departmental system receiving webhooks; verifies nothing itself (tests check signatures)."""

    def __init__(self, fail_first: int = 0):
        super().__init__(None)
        self.fail_next = fail_first

    def route(self, method, path, raw, headers):
        return 200, {"ok": True}

    def deliveries(self) -> list[dict]:
        with self.lock:
            return list(self.requests)


def valid_signature(secret: str, request: dict, max_age_s: int = 300) -> bool:
    import time

    headers = {k.lower(): v for k, v in request["headers"].items()}
    ts = headers.get("x-timestamp", "")
    expected = "sha256=" + hmac.new(secret.encode(), ts.encode() + b"." + request["body"], hashlib.sha256).hexdigest()
    return (
        hmac.compare_digest(expected, headers.get("x-signature", ""))
        and ts.isdigit()
        and abs(time.time() - int(ts)) <= max_age_s
    )
