"""The documents endpoints every service mounts (`documents_router(visible)`):

POST /projects/{project_id}/documents   multipart: kind, file, title?, sha256?, supersedes?
GET  /projects/{project_id}/documents   {items, next_cursor}
GET  /documents/{doc_id}                the bytes (streamed; ETag, Range, If-None-Match)
GET  /documents/{doc_id}/meta           the record
GET  /internal/projects/{project_id}/documents, /internal/documents/{doc_id}  (service credential)
"""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from starlette.responses import Response, StreamingResponse

from ..auth import AnyPrincipal, Principal, ServicePrincipal
from ..db import SessionDep
from ..errors import Problem
from ..pagination import CursorQuery, LimitQuery
from ..storage import BlobStore, blob_store
from . import repository, service
from .kinds import KINDS
from .schemas import DocumentList, DocumentOut
from .sniff import EXTENSIONS

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")

UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["kind", "file"],
                    "properties": {
                        "kind": {"type": "string", "enum": sorted(KINDS), "description": "文件类别"},
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "PDF、OFD、DOCX、XLSX、PNG/JPEG 或 ZIP（按内容识别）",
                        },
                        "title": {"type": "string", "maxLength": 300},
                        "sha256": {
                            "type": "string",
                            "pattern": "^[0-9a-f]{64}$",
                            "description": "声明的校验值，不符则 422",
                        },
                        "supersedes": {"type": "string", "description": "更正：被替代的文件 id（生成新版本）"},
                    },
                }
            }
        },
    },
}


def store_of(request: Request) -> BlobStore:
    state = request.app.state
    store = getattr(state, "blob_store", None)
    if store is None:
        store = state.blob_store = blob_store(state.settings)
    return store


def _parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """One byte range (RFC 9110) → (start, end) inclusive; None: serve the whole; 416 if unsatisfiable."""
    if not header:
        return None
    m = RANGE.match(header.strip())
    if not m or (not m.group(1) and not m.group(2)):
        return None  # several ranges or another unit: the whole representation (allowed by RFC 9110)
    first, last = m.group(1), m.group(2)
    if first:
        start = int(first)
        end = min(int(last), size - 1) if last else size - 1
        if last and int(last) < start:
            return None
    else:
        start, end = max(size - int(last), 0), size - 1
        if int(last) == 0:
            start = size
    if start >= size:
        raise Problem(416, "请求的字节范围超出文件长度", headers={"Content-Range": f"bytes */{size}"})
    return start, end


async def send_document(request: Request, doc, store: BlobStore) -> Response:
    etag = f'"{doc.sha256}"'
    filename = doc.filename or (doc.title + EXTENSIONS.get(doc.content_type, ""))
    headers = {
        "ETag": etag,
        "Accept-Ranges": "bytes",
        "Cache-Control": "private, max-age=0",
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}",
        "X-Content-SHA256": doc.sha256,
        "X-Content-SM3": doc.sm3,
    }
    inm = request.headers.get("if-none-match")
    if inm and (inm.strip() == "*" or etag in [t.strip() for t in inm.split(",")]):
        return Response(status_code=304, headers=headers)
    if_range = request.headers.get("if-range")
    rng = _parse_range(request.headers.get("range"), doc.size) if (not if_range or if_range == etag) else None
    if rng is None:
        headers["Content-Length"] = str(doc.size)
        return StreamingResponse(store.read(doc.sha256), media_type=doc.content_type, headers=headers)
    start, end = rng
    headers["Content-Range"] = f"bytes {start}-{end}/{doc.size}"
    headers["Content-Length"] = str(end - start + 1)
    return StreamingResponse(
        store.read(doc.sha256, start, end), status_code=206, media_type=doc.content_type, headers=headers
    )


def documents_router(visible: service.Visibility, tag: str = "documents") -> APIRouter:
    """The documents endpoints of one service; `visible(session, principal, project_id)` is the
    service's own project-visibility check (404 for another unit's project)."""
    router = APIRouter(tags=[tag])

    @router.post(
        "/projects/{project_id}/documents",
        status_code=201,
        response_model=DocumentOut,
        openapi_extra=UPLOAD_BODY,
        summary="上传项目文件（multipart，流式；按内容识别格式，SHA-256 与 SM3 校验值）",
    )
    async def upload_document(project_id: str, request: Request, session: SessionDep, principal: AnyPrincipal):
        doc = await service.upload_document(session, store_of(request), principal, project_id, request, visible)
        return service.to_out(doc)

    @router.get("/projects/{project_id}/documents", summary="项目文件列表", response_model=DocumentList)
    async def list_documents(
        project_id: str,
        session: SessionDep,
        principal: AnyPrincipal,
        kind: str | None = None,
        current: Annotated[bool, Query()] = False,
        limit: LimitQuery = 50,
        cursor: CursorQuery = None,
    ):
        """`current=true`: the latest version of each document only."""
        return await service.list_documents(
            session, principal, project_id, visible, kind=kind, limit=limit, cursor=cursor, current_only=current
        )

    @router.get(
        "/documents/{doc_id}",
        summary="下载文件（流式，支持 ETag 与 Range）",
        response_class=Response,
        responses={
            200: {"description": "文件内容（Content-Type 为其格式）", "content": {"application/octet-stream": {}}},
            206: {"description": "部分内容（Range）", "content": {"application/octet-stream": {}}},
            304: {"description": "未修改"},
            416: {"description": "范围无效"},
        },
    )
    async def download(doc_id: str, request: Request, session: SessionDep, principal: AnyPrincipal) -> Response:
        doc = await service.get_visible(session, principal, doc_id, visible)
        return await send_document(request, doc, store_of(request))

    @router.get("/documents/{doc_id}/meta", summary="文件元数据", response_model=DocumentOut)
    async def meta(doc_id: str, session: SessionDep, principal: AnyPrincipal):
        return service.to_out(await service.get_visible(session, principal, doc_id, visible))

    @router.get("/internal/projects/{project_id}/documents", include_in_schema=False)
    async def internal_list(project_id: str, session: SessionDep, _: ServicePrincipal):
        return {"items": [service.to_out(d).model_dump() for d in await repository.all_of(session, project_id)]}

    @router.get("/internal/documents/{doc_id}", include_in_schema=False)
    async def internal_download(doc_id: str, request: Request, session: SessionDep, _: ServicePrincipal):
        doc = await repository.get(session, doc_id)
        if doc is None:
            raise Problem(404, service.NOT_FOUND)
        return await send_document(request, doc, store_of(request))

    return router


Visible = service.Visibility
__all__ = ["documents_router", "send_document", "store_of", "Principal", "Visible"]
