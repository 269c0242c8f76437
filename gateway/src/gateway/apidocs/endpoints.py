"""The API documents: the merged OpenAPI of every service and the gateway, Swagger UI, and the
AsyncAPI event catalogue."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import JSONResponse

from govkit.errors import Problem, problem_response

from ..openapi import merged_openapi

router = APIRouter(include_in_schema=False)


@router.get("/openapi.json")
async def openapi(request: Request):
    return await merged_openapi(request.app.state.settings, request.app.openapi())


@router.get("/asyncapi.json")
async def asyncapi():
    try:
        from govkit.asyncapi import build_asyncapi
    except ImportError:
        return problem_response(503, Problem(503, "AsyncAPI 文档暂不可用").body("/asyncapi.json"))
    return JSONResponse(build_asyncapi())


@router.get("/docs")
async def docs():
    return get_swagger_ui_html(openapi_url="/openapi.json", title="GovPM API")
