"""RFC 9457 problem+json errors with `rule`, `article` and `violations`."""

from __future__ import annotations

from datetime import date
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as SATimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import clock
from .rules import article_of, basis_of

log = structlog.get_logger()

PROBLEM = "application/problem+json"
TITLES = {
    400: "请求无效",
    401: "未认证",
    403: "无权操作",
    404: "未找到",
    405: "方法不允许",
    409: "状态或规则冲突",
    412: "版本已变更",
    413: "请求过大",
    415: "不支持的媒体类型",
    422: "输入不合规",
    428: "缺少前置条件",
    429: "请求过于频繁",
    500: "内部错误",
    502: "上游服务不可用",
    503: "服务不可用",
}


class Problem(Exception):
    """Raise anywhere below an endpoint; rendered as problem+json. Nothing is committed."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        rule: str | None = None,
        violations: list[dict] | None = None,
        title: str | None = None,
        type_: str | None = None,
        headers: dict | None = None,
        **extra: Any,
    ):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.rule = rule
        self.violations = violations
        self.title = title or TITLES.get(status, "错误")
        self.type = type_ or (f"https://govpm.yancheng.gov.cn/problems/{rule}" if rule else "about:blank")
        self.headers = headers
        self.extra = extra

    def body(self, instance: str | None = None) -> dict:
        out: dict[str, Any] = {"type": self.type, "title": self.title, "status": self.status, "detail": self.detail}
        if instance:
            out["instance"] = instance
        if self.rule:
            out["rule"] = self.rule
            out["article"] = article_of(self.rule)
            out["basis"] = basis_of(self.rule)
        if self.violations is not None:
            out["violations"] = self.violations
        out.update(self.extra)
        return out


def not_found(what: str = "资源") -> Problem:
    return Problem(404, f"{what}不存在")


def ensure_not_future(field: str, value: date | None, what: str = "日期", *, today: date | None = None) -> None:
    """422 naming `field` when `value` is after today (Asia/Shanghai, `govkit.clock.today`): a date that
    records a fact (paid, signed, accepted, settled) cannot lie ahead. The one such check of every service."""
    if value is not None and value > (today or clock.today()):
        raise Problem(
            422,
            f"输入不合规：{field}",
            violations=[
                {"field": field, "message": f"{what}不能晚于今天（记录的是已发生的事实）", "type": "value_error"}
            ],
        )


def problem_response(status: int, body: dict, headers: dict | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def _field_of(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or ".".join(str(p) for p in loc)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem):
        return problem_response(exc.status, exc.body(request.url.path), exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        violations = []
        for err in exc.errors():
            field = _field_of(err.get("loc", ()))
            violations.append({"field": field, "message": err.get("msg", ""), "type": err.get("type")})
        fields = ", ".join(v["field"] for v in violations)
        body = Problem(422, f"输入不合规：{fields}", violations=violations).body(request.url.path)
        return problem_response(422, body)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        return problem_response(
            exc.status_code, Problem(exc.status_code, detail).body(request.url.path), getattr(exc, "headers", None)
        )

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError):
        # A uniqueness race lost to a concurrent request: the caller may simply try again.
        log.warning("integrity_conflict", path=request.url.path, error=str(exc.orig)[:300])
        return problem_response(409, Problem(409, "与并发请求冲突，未作任何更改，请重试").body(request.url.path))

    @app.exception_handler(DBAPIError)
    async def _database_unavailable(request: Request, exc: DBAPIError):
        # Connection refused or exhausted: nothing was written; a 503 tells the caller to retry.
        log.error("database_unavailable", path=request.url.path, error=str(exc.orig)[:300])
        return problem_response(
            503, Problem(503, "数据库暂不可用，未作任何更改，请稍后重试").body(request.url.path), {"Retry-After": "1"}
        )

    @app.exception_handler(ConnectionError)
    async def _connection_lost(request: Request, exc: ConnectionError):
        # The database (or the object store) refused or dropped the connection before anything was
        # written — a restarting PostgreSQL does this for a few seconds: the caller retries.
        log.error("dependency_unreachable", path=request.url.path, error=f"{type(exc).__name__}: {exc}"[:300])
        return problem_response(
            503,
            Problem(503, "依赖的服务暂不可用，未作任何更改，请稍后重试").body(request.url.path),
            {"Retry-After": "1"},
        )

    @app.exception_handler(SATimeoutError)
    async def _pool_timeout(request: Request, exc: SATimeoutError):
        log.error("database_pool_timeout", path=request.url.path)
        return problem_response(
            503, Problem(503, "服务繁忙，未作任何更改，请稍后重试").body(request.url.path), {"Retry-After": "1"}
        )

    @app.exception_handler(Exception)
    async def _unhandled(request: Request, exc: Exception):
        log.exception("unhandled_error", path=request.url.path)
        return problem_response(500, Problem(500, "服务内部错误，请稍后重试").body(request.url.path))
