"""The list of a project's generated documents (what docgen produced: kind, number, rules, the two
files with their checksums and download addresses)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ..auth import Principal
from ..errors import Problem
from ..pagination import decode_cursor, encode_cursor
from . import KINDS, repository

Visibility = Callable[[AsyncSession, Principal, str], Awaitable[None]]


def _file(doc, service: str) -> dict | None:
    if doc is None:
        return None
    return {
        "id": doc.id,
        "filename": doc.filename,
        "content_type": doc.content_type,
        "size": doc.size,
        "sha256": doc.sha256,
        "sm3": doc.sm3,
        "superseded_by": doc.superseded_by,
        "download": f"/api/v1/{service}/documents/{doc.id}",
    }


async def list_generated(
    session: AsyncSession,
    principal: Principal,
    project_id: str,
    visible: Visibility,
    *,
    service: str,
    kind: str | None,
    limit: int,
    cursor: str | None,
) -> dict:
    """Oldest first; 404 for a project the caller may not see (the service's own check)."""
    await visible(session, principal, project_id)
    if kind is not None and kind not in KINDS:
        raise Problem(
            422,
            f"kind 无效，可选：{', '.join(KINDS)}",
            violations=[{"field": "kind", "message": "unknown generated document kind"}],
        )
    after = decode_cursor(cursor)
    key = None
    if after is not None:
        try:
            key = (datetime.fromisoformat(after[0]), str(after[1]))
        except (ValueError, IndexError, TypeError):
            raise Problem(422, "cursor 无效", violations=[{"field": "cursor", "message": "invalid cursor"}]) from None
    rows = list(await repository.page(session, project_id, kind=kind, after=key, limit=limit + 1))
    more = len(rows) > limit
    rows = rows[:limit]
    files = await repository.files(session, [i for r in rows for i in (r.docx_id, r.pdf_id)])
    items = [
        {
            "id": r.id,
            "project_id": r.project_id,
            "kind": r.kind,
            "kind_label": KINDS[r.kind].title if r.kind in KINDS else r.kind,
            "document_no": r.document_no,
            "issuer": r.issuer,
            "rules": r.rules,
            "created_by": r.created_by,
            "created_by_org": r.created_by_org,
            "created_at": r.created_at,
            "docx": _file(files.get(r.docx_id), service),
            "pdf": _file(files.get(r.pdf_id), service),
        }
        for r in rows
    ]
    return {
        "items": items,
        "next_cursor": encode_cursor([rows[-1].created_at.isoformat(), rows[-1].id]) if more and rows else None,
    }
