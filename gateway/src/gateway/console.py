"""The console (web/, a Vue single-page app) served by the gateway, and its sign-in endpoints.

- `GET /auth/config` (no credential): how to sign in — OpenID Connect (`GOVPM_OIDC_ISSUER`,
  `GOVPM_OIDC_CLIENT_ID`; the gateway verifies the provider's tokens against `GOVPM_JWKS_URL`) and,
  in development and tests only, the demo identities of the dev sign-in page.
- `POST /auth/dev-token` `{role, org, name}` → `{access_token}`: only when `GOVPM_ENV` is dev or test;
  anywhere else 403, so no one can mint a token in production.
- Static files of `web/dist` at `/`: hashed files under `/assets/` are cached for a year
  (immutable), `index.html` never (`no-cache`), and every client route (`/console/...`, e.g. the
  盐政通 to-do link `/console/projects/{id}`) falls back to `index.html`.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from govkit.auth import ALL_ROLES, mint_token
from govkit.errors import Problem, allowed_methods

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_DIST = REPO_ROOT / "web" / "dist"
DEV_ENVS = ("dev", "test")
DEV_TOKEN_TTL_S = 8 * 3600
IMMUTABLE = "public, max-age=31536000, immutable"
# Paths the gateway or the services own: never the console's fallback.
NOT_CONSOLE = (
    "/api/",
    "/auth/",
    "/internal/",
    "/healthz",
    "/readyz",
    "/metrics",
    "/openapi.json",
    "/asyncapi.json",
    "/docs",
)

# The demo identities of the development sign-in page (role, org, name): a unit in each of two
# organisations (to see that one cannot see the other's projects) and one official of each body.
DEMO_IDENTITIES = [
    {"role": "unit", "org": "ORG-001", "org_name": "市民政局", "name": "张三"},
    {"role": "unit", "org": "ORG-002", "org_name": "市教育局", "name": "李四"},
    {"role": "bdb", "org": "BDB", "org_name": "市大数据管理局", "name": "王科长"},
    {"role": "approval_bureau", "org": "XZSP", "org_name": "市行政审批局", "name": "赵处长"},
    {"role": "finance", "org": "CZJ", "org_name": "市财政局", "name": "钱科长"},
    {"role": "leading_group", "org": "LDXZ", "org_name": "“数字盐城”建设领导小组", "name": "孙主任"},
    {"role": "expert", "org": "EXPERT", "org_name": "评审专家库", "name": "周教授"},
    {"role": "archives", "org": "DAG", "org_name": "市档案馆", "name": "吴馆员"},
    {"role": "secrecy", "org": "BMJ", "org_name": "市国家保密局", "name": "郑科员"},
    {"role": "cac", "org": "WXB", "org_name": "市委网信办", "name": "冯科员"},
    {"role": "third_party", "org": "ZXJG", "org_name": "第三方咨询机构", "name": "陈顾问"},
    {"role": "admin", "org": "BDB", "org_name": "市大数据管理局", "name": "系统管理员"},
]

router = APIRouter(tags=["console"])


class DevTokenIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            # "role or roles, at least one" stays in the descriptions and the validator: an anyOf of
            # partial objects here made generated clients drop the operation (openapi-python-client)
            "examples": [{"role": "unit", "org": "ORG-001", "name": "张三"}],
        }
    )
    role: str | None = Field(
        None,
        description="一个角色代码（或改用 roles 给出多个）；role 与 roles 至少给出一个",
        json_schema_extra={"enum": [*sorted(ALL_ROLES), None]},
    )
    roles: list[str] | None = Field(
        None, description="多个角色代码", json_schema_extra={"minItems": 1, "items": {"enum": sorted(ALL_ROLES)}}
    )
    org: str = Field(min_length=1, max_length=64)
    name: str = Field("演示用户", min_length=1, max_length=64)


class DemoIdentity(BaseModel):
    role: str
    org: str
    org_name: str
    name: str


class OidcConfig(BaseModel):
    issuer: str = Field(description="统一身份认证的 issuer（按其 discovery 文档登录）")
    client_id: str
    scope: str


class AuthConfig(BaseModel):
    env: str = Field(description="运行环境（dev、test、prod…）")
    dev_sign_in: bool = Field(description="是否可用演示身份登录（仅 dev/test）")
    demo_identities: list[DemoIdentity]
    oidc: OidcConfig | None = Field(description="统一身份认证（OpenID Connect）配置；未配置时为 null")


class DevToken(BaseModel):
    access_token: str
    token_type: str = Field(description="Bearer")
    expires_in: int = Field(description="有效秒数")


@router.get("/auth/config", summary="控制台登录方式（无需凭证）", response_model=AuthConfig)
async def auth_config(request: Request):
    s = request.app.state.settings
    dev = s.env in DEV_ENVS
    oidc = (
        {"issuer": s.oidc_issuer, "client_id": s.oidc_client_id, "scope": s.oidc_scope}
        if s.oidc_issuer and s.oidc_client_id
        else None
    )
    return AuthConfig(env=s.env, dev_sign_in=dev, demo_identities=DEMO_IDENTITIES if dev else [], oidc=oidc)


@router.post(
    "/auth/dev-token", summary="开发环境：为演示身份签发令牌（仅 GOVPM_ENV=dev/test）", response_model=DevToken
)
async def dev_token(request: Request, body: DevTokenIn):
    s = request.app.state.settings
    if s.env not in DEV_ENVS:
        raise Problem(403, "演示身份登录仅在开发和测试环境可用，请使用统一身份认证登录")
    roles = body.roles or ([body.role] if body.role else [])
    if not roles:
        raise Problem(422, "请选择角色（role）", field="role")
    unknown = sorted(set(roles) - ALL_ROLES)
    if unknown:
        raise Problem(422, f"未知角色：{'、'.join(unknown)}", field="role")
    token = mint_token(
        s.jwt_secret,
        sub=f"dev:{body.name}@{body.org}",
        org=body.org,
        roles=roles,
        name=body.name,
        ttl_s=DEV_TOKEN_TTL_S,
    )
    return DevToken(access_token=token, token_type="Bearer", expires_in=DEV_TOKEN_TTL_S)


# --- static files ------------------------------------------------------------------------------
MISSING = """<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>控制台尚未构建</title>
<body style="font-family:sans-serif;padding:24px"><h1>控制台尚未构建</h1>
<p>网关与 API 正常运行（<a href="/docs">/docs</a>）。构建控制台：安装 Node.js 20 与 npm，然后执行
<code>make console</code>（或 <code>cd web &amp;&amp; npm ci &amp;&amp; npm run build</code>）。</p></body></html>"""


def console_file(dist: Path, path: str) -> tuple[Path, str] | None:
    """(file, cache-control) for a GET of `path`, or None when the path is not the console's."""
    if path.startswith(NOT_CONSOLE):
        return None
    index = dist / "index.html"
    rel = path.lstrip("/")
    if rel:
        candidate = (dist / rel).resolve()
        try:
            candidate.relative_to(dist.resolve())
        except ValueError:
            return index, "no-cache"
        if candidate.is_file():
            if rel.startswith("assets/"):
                return candidate, IMMUTABLE
            return candidate, ("no-cache" if candidate.name == "index.html" else "public, max-age=3600")
        if rel.startswith("assets/"):  # a stale hashed name: a 404, not the page
            return None
    return index, "no-cache"


def install(app, settings) -> None:
    """Add the auth endpoints and, last, the console's catch-all GET."""
    app.include_router(router)
    dist = Path(settings.console_dir) if settings.console_dir else DEFAULT_DIST

    @app.api_route("/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
    async def console(path: str, request: Request):
        hit = console_file(dist, "/" + path)
        if hit is None:
            allowed = allowed_methods(request)  # a documented route of other methods (GET /auth/dev-token): 405
            if allowed and request.method not in allowed:
                raise Problem(405, "该路径不支持此方法（见 Allow 应答头）", headers={"Allow": ", ".join(allowed)})
            raise Problem(404, "未找到")
        file, cache = hit
        if not file.is_file():
            return HTMLResponse(MISSING, status_code=503, headers={"Cache-Control": "no-cache"})
        media = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if request.method == "HEAD":
            return Response(headers={"Cache-Control": cache, "Content-Type": media})
        return FileResponse(file, media_type=media, headers={"Cache-Control": cache})
