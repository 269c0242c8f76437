"""Sample files of every accepted type (made here, small) and multipart helpers for API tests."""

from __future__ import annotations

import hashlib
import io
import zipfile


def pdf(text: str = "GovPM test document") -> bytes:
    body = f"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n% {text}\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    return body.encode()


def png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


def jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40 + b"\xff\xd9"


def _zip(names: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in names.items():
            z.writestr(n, data)
    return buf.getvalue()


def docx() -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def xlsx() -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})


def ofd() -> bytes:
    return _zip({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<ofd:Document/>"})


def plain_zip() -> bytes:
    return _zip({"readme.txt": "档案".encode()})


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sm3(data: bytes) -> str:
    return hashlib.new("sm3", data).hexdigest()


def form(kind: str, data: bytes, filename: str = "file.pdf", **fields) -> dict:
    """httpx keyword arguments for a multipart upload."""
    return {
        "data": {"kind": kind, **{k: v for k, v in fields.items() if v is not None}},
        "files": {"file": (filename, data, "application/octet-stream")},
    }


def raw_form(kind: str, data: bytes, filename: str = "file.pdf", boundary: str = "govpm-boundary", **fields) -> dict:
    """httpx keyword arguments for the same multipart bytes every time (a fixed boundary)."""
    parts = [b""]
    for name, value in {"kind": kind, **{k: v for k, v in fields.items() if v is not None}}.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        f"Content-Type: application/octet-stream\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return {"content": b"".join(parts), "headers": {"Content-Type": f"multipart/form-data; boundary={boundary}"}}
