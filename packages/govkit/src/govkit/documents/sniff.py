"""Content types decided by the bytes, never by the file name: PDF, OFD, DOCX, XLSX, PNG, JPEG, ZIP.

OFD (GB/T 33190), DOCX and XLSX are ZIP packages: their central directory decides (OFD.xml,
word/document.xml, xl/workbook.xml); any other well-formed ZIP is a ZIP."""

from __future__ import annotations

import zipfile
from pathlib import Path

from .kinds import DOCX, JPEG, OFD, PDF, PNG, XLSX, ZIP


def sniff(head: bytes, path: Path | None = None) -> str | None:
    """The content type of a stored file from its first bytes (and, for ZIP packages, its directory)."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")) and path is not None:
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if "OFD.xml" in names:
            return OFD
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
        return ZIP
    return None


EXTENSIONS = {PDF: ".pdf", OFD: ".ofd", DOCX: ".docx", XLSX: ".xlsx", PNG: ".png", JPEG: ".jpg", ZIP: ".zip"}
