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
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import clock
from .policy import NoPolicyInForce
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


class PredecessorMissing(Exception):
    """A consumed event needs an earlier one about the same project that has not been applied here yet
    (it comes from another service, or was delivered out of order). The consumer holds the event
    (`parked_events`) and applies it, in order, once the predecessor is applied — never dead-letters it."""

    def __init__(self, key: str, needs: str):
        super().__init__(f"{needs} of {key} not applied yet")
        self.key = key
        self.needs = needs


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


# pydantic's error types in Chinese (the machine `type` is kept beside the message); `{…}` from its ctx.
MESSAGES = {
    "missing": "缺少必填项",
    "extra_forbidden": "不允许的字段",
    "string_type": "应为字符串",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "decimal_type": "应为十进制数字字符串",
    "decimal_parsing": "应为十进制数字字符串",
    "decimal_max_places": "小数位至多 {decimal_places} 位",
    "decimal_max_digits": "数字至多 {max_digits} 位",
    "decimal_whole_digits": "整数部分至多 {whole_digits} 位",
    "bool_type": "应为布尔值（true/false）",
    "bool_parsing": "应为布尔值（true/false）",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "至多 {max_length} 个字符",
    "string_pattern_mismatch": "格式不符（{pattern}）",
    "too_short": "至少 {min_length} 项",
    "too_long": "至多 {max_length} 项",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应不大于 {le}",
    "multiple_of": "应为 {multiple_of} 的倍数",
    "finite_number": "应为有限数",
    "literal_error": "应为以下之一：{expected}",
    "enum": "应为以下之一：{expected}",
    "date_type": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_inexact": "应为日期（YYYY-MM-DD）",
    "datetime_type": "应为带时区的时间（ISO 8601）",
    "datetime_parsing": "应为带时区的时间（ISO 8601）",
    "datetime_from_date_parsing": "应为带时区的时间（ISO 8601）",
    "timezone_aware": "时间须带时区",
    "uuid_type": "应为 UUID",
    "uuid_parsing": "应为 UUID",
    "list_type": "应为数组",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "url_type": "应为 URL",
    "url_parsing": "应为 URL",
    "url_scheme": "URL 协议不允许（应为 {expected_schemes}）",
    "json_invalid": "不是有效的 JSON",
    "json_type": "应为 JSON",
    "union_tag_invalid": "类型标记无效（应为 {expected_tags}）",
    "union_tag_not_found": "缺少类型标记 {discriminator}",
    "bytes_type": "应为字节串",
    "none_required": "应为空（null）",
    "frozen_field": "不可修改",
    "is_instance_of": "类型无效",
}


def message_of(err: dict) -> str:
    """A pydantic error in Chinese; a validator's own message (raised Chinese) is kept."""
    kind = err.get("type", "")
    if kind in ("value_error", "assertion_error"):
        msg = str(err.get("msg", ""))
        for prefix in ("Value error, ", "Assertion failed, "):
            msg = msg.removeprefix(prefix)
        return msg or "取值无效"
    template = MESSAGES.get(kind)
    if template is None:
        # A custom error type (PydanticCustomError) raised by our own validators carries its Chinese message.
        msg = str(err.get("msg", ""))
        return msg if not msg.isascii() else "取值无效"
    ctx = {
        k: v if not isinstance(v, list | tuple) else "、".join(map(str, v)) for k, v in (err.get("ctx") or {}).items()
    }
    try:
        return template.format(**ctx)
    except (KeyError, IndexError, ValueError):
        return template.split("（")[0].split("{")[0].rstrip("：（ ") or "取值无效"


# Starlette's own English details for its standard answers, in Chinese.
STANDARD_DETAILS = {
    "Not Found": "请求的路径不存在",
    "Method Not Allowed": "该路径不支持此方法（见 Allow 应答头）",
    "There was an error parsing the body": "请求体无法解析：不是 UTF-8 编码的有效 JSON（或表单）",
    "Unsupported Media Type": "不支持的请求体类型",
    "Request Entity Too Large": "请求体过大",
    "Content Too Large": "请求体过大",
}


def allowed_methods(request: Request) -> list[str]:
    from .openapi import api_routes  # the routes of included routers too

    path = request.scope.get("path", "")
    documented: set[str] = set()
    hidden: set[str] = set()  # a catch-all (the gateway's console GET) counts only when nothing else matches
    for route in api_routes(request.app.routes):
        regex = getattr(route, "path_regex", None)
        if regex is not None and regex.match(path):
            methods = set(getattr(route, "methods", None) or ())
            (documented if getattr(route, "include_in_schema", True) else hidden).update(methods)
    return sorted(documented or hidden)


def instance_of(request: Request) -> str:
    """The public path of the request: the gateway says which prefix it removed (X-Forwarded-Prefix)."""
    prefix = request.headers.get("x-forwarded-prefix", "")
    if not (prefix.startswith("/api/") and "//" not in prefix and ".." not in prefix and len(prefix) < 100):
        prefix = ""
    return prefix.rstrip("/") + request.url.path


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem):
        return problem_response(exc.status, exc.body(instance_of(request)), exc.headers)

    @app.exception_handler(NoPolicyInForce)
    async def _no_policy(request: Request, exc: NoPolicyInForce):
        return problem_response(422, Problem(422, exc.message, rule=exc.rule).body(instance_of(request)))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        errors = list(exc.errors())
        if any(e.get("type") == "json_invalid" for e in errors):  # an unreadable body: 400, not 422
            where = next(e for e in errors if e.get("type") == "json_invalid")
            pos = [p for p in where.get("loc", ()) if isinstance(p, int)]
            detail = "请求体不是有效的 JSON" + (f"（第 {pos[0]} 个字符附近）" if pos else "")
            violations = [{"field": "body", "message": detail, "type": "json_invalid"}]
            return problem_response(400, Problem(400, detail, violations=violations).body(instance_of(request)))
        violations = []
        for err in errors:
            field = _field_of(err.get("loc", ()))
            violations.append({"field": field, "message": message_of(err), "type": err.get("type")})
        fields = "、".join(dict.fromkeys(v["field"] for v in violations))
        body = Problem(422, f"输入不合规：{fields}", violations=violations).body(instance_of(request))
        return problem_response(422, body)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        detail = STANDARD_DETAILS.get(detail, detail)
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:  # Starlette names only the first route's methods: name every route's
            headers = {**(headers or {}), "Allow": ", ".join(allowed_methods(request))}
        return problem_response(exc.status_code, Problem(exc.status_code, detail).body(instance_of(request)), headers)

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError):
        # A uniqueness race lost to a concurrent request: the caller may simply try again.
        log.warning("integrity_conflict", path=request.url.path, error=str(exc.orig)[:300])
        return problem_response(409, Problem(409, "与并发请求冲突，未作任何更改，请重试").body(instance_of(request)))

    @app.exception_handler(StaleDataError)
    async def _stale(request: Request, exc: StaleDataError):
        # An optimistic row (`govkit.db.optimistic`) changed between our read and our write.
        log.warning("stale_version", path=request.url.path, error=str(exc)[:300])
        return problem_response(409, Problem(409, "与并发请求冲突，未作任何更改，请重试").body(instance_of(request)))

    @app.exception_handler(DBAPIError)
    async def _database_unavailable(request: Request, exc: DBAPIError):
        # Connection refused or exhausted: nothing was written; a 503 tells the caller to retry.
        log.error("database_unavailable", path=request.url.path, error=str(exc.orig)[:300])
        return problem_response(
            503,
            Problem(503, "数据库暂不可用，未作任何更改，请稍后重试").body(instance_of(request)),
            {"Retry-After": "1"},
        )

    @app.exception_handler(ConnectionError)
    async def _connection_lost(request: Request, exc: ConnectionError):
        # The database (or the object store) refused or dropped the connection before anything was
        # written — a restarting PostgreSQL does this for a few seconds: the caller retries.
        log.error("dependency_unreachable", path=request.url.path, error=f"{type(exc).__name__}: {exc}"[:300])
        return problem_response(
            503,
            Problem(503, "依赖的服务暂不可用，未作任何更改，请稍后重试").body(instance_of(request)),
            {"Retry-After": "1"},
        )

    @app.exception_handler(SATimeoutError)
    async def _pool_timeout(request: Request, exc: SATimeoutError):
        log.error("database_pool_timeout", path=request.url.path)
        return problem_response(
            503, Problem(503, "服务繁忙，未作任何更改，请稍后重试").body(instance_of(request)), {"Retry-After": "1"}
        )

    @app.exception_handler(Exception)
    async def _unhandled(request: Request, exc: Exception):
        log.exception("unhandled_error", path=request.url.path)
        return problem_response(500, Problem(500, "服务内部错误，请稍后重试").body(instance_of(request)))
