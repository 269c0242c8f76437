"""The electronic archive of a project (R-22.2): the index fed by every service's
`<Service>DocumentStored` events, the manifest, the streamed ZIP package, and the examination the
archives acceptance applies to it (R-22.1)."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import orjson
from sqlalchemy.ext.asyncio import AsyncSession
from stream_zip import ZIP_AUTO, async_stream_zip

from govkit.auth import Principal, service_token
from govkit.db import utcnow
from govkit.documents import repository as documents_repo
from govkit.documents.kinds import label
from govkit.documents.sniff import EXTENSIONS
from govkit.events import CloudEvent, DocumentStoredData
from govkit.rules import violation
from govkit.storage import BlobStore

from ..projects.access import load_visible
from ..projects.models import AcceptanceProject
from . import repository
from .models import ArchiveEntry
from .rules import missing_kinds

SERVICE = "acceptance"
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


async def record_entry(session: AsyncSession, data: DocumentStoredData, event: CloudEvent) -> None:
    """A document stored by another service joins the project's archive index (once)."""
    if await repository.get(session, data.doc_id) is not None:
        return
    repository.add(
        session,
        ArchiveEntry(
            doc_id=data.doc_id,
            project_id=str(data.project_id),
            service=event.service,
            kind=data.kind,
            title=data.title,
            filename=data.filename,
            content_type=data.content_type,
            size=data.size,
            sha256=data.sha256,
            sm3=data.sm3,
            version=data.version,
            supersedes=data.supersedes,
            uploader=data.uploader,
            uploader_name=data.uploader_name,
            uploader_org=data.uploader_org,
            stored_at=data.stored_at or event.time,
            event_id=event.id,
            event_type=event.type,
        ),
    )
    await session.flush()


def _path(e: dict) -> str:
    name = e["filename"] or (e["title"] + EXTENSIONS.get(e["content_type"], ""))
    name = UNSAFE.sub("_", name).strip(" .") or "file"
    return f"files/{e['service']}/{e['kind']}/{e['doc_id'][:8]}-v{e['version']}-{name[:120]}"


def _entry(**kw) -> dict:
    e = {
        "doc_id": kw["doc_id"],
        "service": kw["service"],
        "kind": kw["kind"],
        "kind_label": label(kw["kind"]),
        "title": kw["title"],
        "filename": kw["filename"],
        "content_type": kw["content_type"],
        "size": kw["size"],
        "sha256": kw["sha256"],
        "sm3": kw["sm3"],
        "version": kw["version"],
        "supersedes": kw["supersedes"],
        "stored_at": kw["stored_at"].astimezone(UTC).isoformat(),
        "who": {"sub": kw["uploader"], "name": kw["uploader_name"], "org": kw["uploader_org"]},
        "event": {"id": kw["event_id"], "type": kw["event_type"], "source": f"/govpm/{kw['service']}"},
    }
    e["path"] = _path(e)
    return e


async def entries(session: AsyncSession, project_id: str) -> list[dict]:
    """Every document of the project's life, from every service, oldest first."""
    out = [
        _entry(
            doc_id=r.doc_id,
            service=r.service,
            kind=r.kind,
            title=r.title,
            filename=r.filename,
            content_type=r.content_type,
            size=r.size,
            sha256=r.sha256,
            sm3=r.sm3,
            version=r.version,
            supersedes=r.supersedes,
            stored_at=r.stored_at,
            uploader=r.uploader,
            uploader_name=r.uploader_name,
            uploader_org=r.uploader_org,
            event_id=r.event_id,
            event_type=r.event_type,
        )
        for r in await repository.of_project(session, project_id)
    ]
    out += [
        _entry(
            doc_id=d.id,
            service=SERVICE,
            kind=d.kind,
            title=d.title,
            filename=d.filename,
            content_type=d.content_type,
            size=d.size,
            sha256=d.sha256,
            sm3=d.sm3,
            version=d.version,
            supersedes=d.supersedes,
            stored_at=d.created_at,
            uploader=d.uploader,
            uploader_name=d.uploader_name,
            uploader_org=d.uploader_org,
            event_id=d.event_id or "",
            event_type="AcceptanceDocumentStored",
        )
        for d in await documents_repo.all_of(session, project_id)
    ]
    return sorted(out, key=lambda e: (e["stored_at"], e["doc_id"]))


def examine(documents: list[dict], uses_cryptography: bool | None) -> list[dict]:
    """R-22.2: the mandatory kinds missing from the package, each with the rule that needs it."""
    return [
        violation(d.rule, d.message, **d.details)
        for d in missing_kinds((e["kind"] for e in documents), uses_cryptography)
    ]


def manifest(
    project: AcceptanceProject,
    documents: list[dict],
    *,
    accepted: dict | None = None,
    corrections: list[dict] | None = None,
) -> dict:
    return {
        "format": "govpm-archive/1",
        "rule": "R-22.2",
        "article": "第二十二条",
        "project": {"id": str(project.project_id), "title": project.title, "org": project.org},
        "generated_at": utcnow().isoformat(),
        "accepted": accepted,
        "hash_algorithms": ["SHA-256", "SM3"],
        "documents": documents,
        "corrections": corrections or [],
    }


async def current_manifest(session: AsyncSession, project: AcceptanceProject, accepted_row=None) -> dict:
    """Before a passed archives acceptance: every document. After: the package as accepted
    (frozen), and what was stored since — new versions are corrections, listed apart."""
    docs = await entries(session, str(project.project_id))
    if accepted_row is None or not accepted_row.manifest:
        return manifest(project, docs)
    frozen = accepted_row.manifest["documents"]
    ids = {e["doc_id"] for e in frozen}
    accepted = {
        "report_no": accepted_row.report_no,
        "accepted_on": accepted_row.accepted_on.isoformat(),
        "recorded_by": accepted_row.recorded_by,
        "id": str(accepted_row.id),
    }
    return manifest(project, frozen, accepted=accepted, corrections=[e for e in docs if e["doc_id"] not in ids])


def manifest_bytes(m: dict) -> bytes:
    return orjson.dumps(m, option=orjson.OPT_INDENT_2)


async def package(m: dict, settings, store: BlobStore) -> AsyncIterator[bytes]:
    """The ZIP (streamed): manifest.json, then every file of the manifest at its `path`. Files of
    other services are fetched from them (`GET /internal/documents/{id}`, service credential);
    each is checked against its SHA-256 while it streams."""
    headers = {"Authorization": f"Bearer {service_token(settings.jwt_secret, SERVICE)}"}
    now = datetime.now(UTC)
    body = manifest_bytes(m)

    async def one(data: bytes):
        yield data

    async def content(e: dict, client: httpx.AsyncClient):
        digest = hashlib.sha256()
        if e["service"] == SERVICE:
            async for chunk in store.read(e["sha256"]):
                digest.update(chunk)
                yield chunk
        else:
            url = f"{settings.service_url(e['service'])}/internal/documents/{e['doc_id']}"
            async with client.stream("GET", url, headers=headers) as r:
                r.raise_for_status()
                async for chunk in r.aiter_bytes(256 * 1024):
                    digest.update(chunk)
                    yield chunk
        if digest.hexdigest() != e["sha256"]:
            raise ValueError(f"document {e['doc_id']} does not match its SHA-256")

    async def members():
        yield "manifest.json", now, 0o644, ZIP_AUTO(len(body)), one(body)
        async with httpx.AsyncClient(timeout=httpx.Timeout(30, read=300)) as client:
            for e in [*m["documents"], *m["corrections"]]:
                yield e["path"], now, 0o644, ZIP_AUTO(e["size"]), content(e, client)

    async for chunk in async_stream_zip(members()):
        yield chunk


async def visible_manifest(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID
) -> tuple[dict, AcceptanceProject]:
    """The manifest of a project the principal may see, as the last passed archives acceptance froze it."""
    project = await load_visible(session, principal, project_id)
    rows = await repository.acceptances(session, project.project_id)
    accepted = next((r for r in reversed(rows) if r.passed and r.manifest), None)
    return await current_manifest(session, project, accepted), project
