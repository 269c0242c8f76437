"""The payload every service's `<Service>DocumentStored` event carries (govkit.documents).

Each publisher registers its own type (`ReserveDocumentStored`, `ApprovalDocumentStored`, …) so that
an event type keeps exactly one publisher; they share this schema."""

from __future__ import annotations

from datetime import datetime

from ._registry import EventData


class DocumentStoredData(EventData):
    """A document version stored for a project: what the electronic archive (R-22.2) collects."""

    doc_id: str
    kind: str
    title: str = ""
    filename: str = ""
    content_type: str = ""
    size: int = 0
    sha256: str
    sm3: str
    version: int = 1
    supersedes: str | None = None
    uploader: str = ""
    uploader_name: str = ""
    uploader_org: str = ""
    stored_at: datetime | None = None
