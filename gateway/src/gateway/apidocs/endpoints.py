"""The API documents: the merged OpenAPI of every service and the gateway, Swagger UI, and the
AsyncAPI event catalogue."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, JSONResponse
from swagger_ui_bundle import swagger_ui_path

from govkit.errors import Problem, problem_response

from ..openapi import merged_openapi

router = APIRouter(include_in_schema=False)


@router.get("/openapi.json")
async def openapi(request: Request):
    return await merged_openapi(request.app.state.settings, request.app.openapi())


@router.get("/asyncapi.json")
async def asyncapi():
    try:
        from govkit.dev.asyncapi import build_asyncapi
    except ImportError:
        return problem_response(503, Problem(503, "AsyncAPI 文档暂不可用").body("/asyncapi.json"))
    return JSONResponse(build_asyncapi())


# Swagger UI's files come from the swagger-ui-bundle-v2 wheel (pinned and hashed in the lock) and are
# served by the gateway itself: the 政务外网 reaches no CDN.
DOCS_ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon-32x32.png": "image/png",
}


@router.get("/docs")
async def docs():
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="GovPM API",
        swagger_js_url="/docs/assets/swagger-ui-bundle.js",
        swagger_css_url="/docs/assets/swagger-ui.css",
        swagger_favicon_url="/docs/assets/favicon-32x32.png",
    )


@router.get("/docs/assets/{name}")
async def docs_asset(name: str):
    if name not in DOCS_ASSETS:
        return problem_response(404, Problem(404, "文件不存在").body(f"/docs/assets/{name}"))
    return FileResponse(
        str(swagger_ui_path / name),
        media_type=DOCS_ASSETS[name],
        headers={"Cache-Control": "public, max-age=86400"},
    )
