"""Stored documents through the reserve API (govkit.documents; the same module serves every
service): streamed upload, SHA-256/SM3, dedup, limits (413), types by content (415), a wrong
declared checksum (422), ETag/Range downloads, another unit's project (404), versions, and an
interrupted upload that leaves nothing behind."""

import hashlib

import pytest

from govkit.dev.testing import auth
from govkit.documents import testing as files
from govkit.documents.endpoints import store_of
from govkit.documents.kinds import KINDS

from ..support import BDB, declaration

UA, UB = auth("unit", "ORG-A"), auth("unit", "ORG-B")


@pytest.fixture
async def pid(client, open_supplement):
    r = await client.post("/declarations", json=declaration(), headers=UA)
    assert r.status_code == 201, r.text
    return r.json()["project_id"]


def store(harness):
    class _R:  # store_of takes a request; only .app is used
        app = harness.app

    return store_of(_R)


async def test_upload_stores_with_both_hashes_and_emits_document_stored(client, harness, pid):
    data = files.pdf("可行性研究报告")
    r = await client.post(
        f"/projects/{pid}/documents",
        headers=UA,
        **files.form("feasibility_study", data, "可研.pdf", title="可研报告", sha256=files.sha256(data)),
    )
    assert r.status_code == 201, r.text
    doc = r.json()
    assert (doc["kind"], doc["title"], doc["filename"], doc["content_type"], doc["size"]) == (
        "feasibility_study",
        "可研报告",
        "可研.pdf",
        "application/pdf",
        len(data),
    )
    assert (doc["sha256"], doc["sm3"]) == (files.sha256(data), files.sm3(data))
    assert (doc["uploader"], doc["uploader_org"], doc["version"], doc["supersedes"]) == ("unit-ORG-A", "ORG-A", 1, None)
    [ev] = await harness.events("ReserveDocumentStored")
    assert ev.subject == pid and ev.id == doc["event_id"]
    assert {k: ev.data[k] for k in ("doc_id", "kind", "title", "sha256", "sm3", "uploader")} == {
        "doc_id": doc["id"],
        "kind": "feasibility_study",
        "title": "可研报告",
        "sha256": doc["sha256"],
        "sm3": doc["sm3"],
        "uploader": "unit-ORG-A",
    }
    got = await client.get(f"/documents/{doc['id']}", headers=UA)
    assert got.status_code == 200 and got.content == data
    assert got.headers["etag"] == f'"{doc["sha256"]}"' and got.headers["accept-ranges"] == "bytes"
    assert got.headers["content-type"] == "application/pdf"
    listed = (await client.get(f"/projects/{pid}/documents", headers=BDB)).json()
    assert [d["id"] for d in listed["items"]] == [doc["id"]] and listed["next_cursor"] is None


@pytest.mark.parametrize(
    "maker,ctype",
    [
        (files.pdf, "application/pdf"),
        (files.png, "image/png"),
        (files.jpeg, "image/jpeg"),
        (files.docx, KINDS and "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (files.xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (files.ofd, "application/ofd"),
        (files.plain_zip, "application/zip"),
    ],
)
async def test_types_are_decided_by_content(client, pid, maker, ctype):
    r = await client.post(f"/projects/{pid}/documents", headers=UA, **files.form("material", maker(), "x.bin"))
    assert r.status_code == 201, r.text
    assert r.json()["content_type"] == ctype


@pytest.mark.parametrize("data", [b"MZ\x90\x00 an executable", b"<html>not a pdf</html>", b"PK\x03\x04broken zip"])
async def test_other_content_is_415_even_named_pdf(client, harness, pid, data):
    r = await client.post(f"/projects/{pid}/documents", headers=UA, **files.form("material", data, "报告.pdf"))
    assert r.status_code == 415, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert await harness.events("ReserveDocumentStored") == []
    assert await store(harness).staged_leftovers() == []


async def test_kind_restricts_types_invoice_is_not_a_docx(client, pid):
    r = await client.post(f"/projects/{pid}/documents", headers=UA, **files.form("invoice", files.docx(), "fp.docx"))
    assert r.status_code == 415


async def test_size_limit_per_kind_413_one_byte_over(client, harness, pid, monkeypatch):
    from govkit.documents.kinds import Kind

    monkeypatch.setitem(KINDS, "invoice", Kind("发票", 1000, KINDS["invoice"].types))
    at_limit = files.pdf() + b"0" * (1000 - len(files.pdf()))
    ok = await client.post(f"/projects/{pid}/documents", headers=UA, **files.form("invoice", at_limit))
    assert ok.status_code == 201, ok.text
    over = await client.post(f"/projects/{pid}/documents", headers=UA, **files.form("invoice", at_limit + b"1"))
    assert over.status_code == 413, over.text
    assert over.json()["max_bytes"] == 1000
    assert len(await harness.events("ReserveDocumentStored")) == 1
    assert not await store(harness).exists(hashlib.sha256(at_limit + b"1").hexdigest())
    assert await store(harness).staged_leftovers() == []


async def test_wrong_declared_checksum_is_422_and_stores_nothing(client, harness, pid):
    data = files.pdf("x")
    r = await client.post(f"/projects/{pid}/documents", headers=UA, **files.form("material", data, sha256="0" * 64))
    assert r.status_code == 422
    assert r.json()["violations"][0]["field"] == "sha256"
    assert r.json()["violations"][0]["computed"] == files.sha256(data)
    assert not await store(harness).exists(files.sha256(data))
    bad = await client.post(f"/projects/{pid}/documents", headers=UA, **files.form("material", data, sha256="xyz"))
    assert bad.status_code == 422
    assert await harness.events("ReserveDocumentStored") == []


async def test_bad_form_is_422_naming_the_field(client, pid):
    r = await client.post(f"/projects/{pid}/documents", headers=UA, **files.form("nonsense", files.pdf()))
    assert r.status_code == 422 and r.json()["violations"][0]["field"] == "kind"
    r = await client.post(f"/projects/{pid}/documents", headers=UA, data={"kind": "material"})
    assert r.status_code in (415, 422)
    r = await client.post(
        f"/projects/{pid}/documents", headers=UA, data={"kind": "material"}, files={"other": ("a", b"b")}
    )
    assert r.status_code == 422 and r.json()["violations"][0]["field"] == "file"
    r = await client.post(f"/projects/{pid}/documents", headers=UA, **files.form("material", b""))
    assert r.status_code == 422


async def test_another_units_project_and_its_files_are_404(client, pid):
    r = await client.post(f"/projects/{pid}/documents", headers=UA, **files.form("material", files.pdf()))
    doc = r.json()
    assert (await client.get(f"/documents/{doc['id']}", headers=UB)).status_code == 404
    assert (await client.get(f"/documents/{doc['id']}/meta", headers=UB)).status_code == 404
    assert (await client.get(f"/projects/{pid}/documents", headers=UB)).status_code == 404
    up = await client.post(f"/projects/{pid}/documents", headers=UB, **files.form("material", files.pdf("b")))
    assert up.status_code == 404
    assert (await client.get(f"/documents/{doc['id']}", headers=BDB)).status_code == 200
    assert (await client.get("/documents/00000000-0000-0000-0000-000000000000", headers=UA)).status_code == 404


async def test_same_bytes_stored_once_two_documents(client, harness, pid):
    data = files.pdf("same")
    a = (await client.post(f"/projects/{pid}/documents", headers=UA, **files.form("material", data))).json()
    b = (await client.post(f"/projects/{pid}/documents", headers=UA, **files.form("proposal", data))).json()
    assert a["id"] != b["id"] and a["sha256"] == b["sha256"]
    root = harness.app.state.settings.data_dir / "blobs"
    blobs = [p for p in root.rglob("*") if p.is_file() and p.relative_to(root).parts[0] != "tmp"]
    assert [p.name for p in blobs].count(a["sha256"]) == 1


async def test_range_etag_and_conditional_get(client, pid):
    data = files.pdf("range test ") + bytes(range(256)) * 40
    doc = (await client.post(f"/projects/{pid}/documents", headers=UA, **files.form("material", data))).json()
    url = f"/documents/{doc['id']}"
    r = await client.get(url, headers={**UA, "Range": "bytes=10-19"})
    assert r.status_code == 206 and r.content == data[10:20]
    assert r.headers["content-range"] == f"bytes 10-19/{len(data)}" and r.headers["content-length"] == "10"
    r = await client.get(url, headers={**UA, "Range": "bytes=-7"})
    assert r.status_code == 206 and r.content == data[-7:]
    r = await client.get(url, headers={**UA, "Range": f"bytes={len(data) - 3}-"})
    assert r.status_code == 206 and r.content == data[-3:]
    r = await client.get(url, headers={**UA, "Range": f"bytes={len(data) - 1}-{len(data) + 50}"})
    assert r.status_code == 206 and r.content == data[-1:]
    r = await client.get(url, headers={**UA, "Range": f"bytes={len(data)}-"})  # first byte past the end
    assert r.status_code == 416 and r.headers["content-range"] == f"bytes */{len(data)}"
    r = await client.get(url, headers={**UA, "If-None-Match": f'"{doc["sha256"]}"'})
    assert r.status_code == 304 and r.content == b""
    r = await client.get(url, headers={**UA, "Range": "bytes=0-3", "If-Range": '"other"'})
    assert r.status_code == 200 and r.content == data


async def test_a_correction_is_a_new_version(client, harness, pid):
    v1 = (await client.post(f"/projects/{pid}/documents", headers=UA, **files.form("proposal", files.pdf("v1")))).json()
    v2 = await client.post(
        f"/projects/{pid}/documents", headers=UA, **files.form("proposal", files.pdf("v2"), supersedes=v1["id"])
    )
    assert v2.status_code == 201, v2.text
    assert (v2.json()["version"], v2.json()["supersedes"]) == (2, v1["id"])
    again = await client.post(
        f"/projects/{pid}/documents", headers=UA, **files.form("proposal", files.pdf("v2b"), supersedes=v1["id"])
    )
    assert again.status_code == 409 and again.json()["violations"][0]["latest"] == v2.json()["id"]
    other_kind = await client.post(
        f"/projects/{pid}/documents", headers=UA, **files.form("material", files.pdf("v3"), supersedes=v2.json()["id"])
    )
    assert other_kind.status_code == 422
    old = await client.get(f"/documents/{v1['id']}", headers=UA)
    assert old.content == files.pdf("v1")  # the old version stays readable, unchanged
    current = (await client.get(f"/projects/{pid}/documents?current=true", headers=UA)).json()["items"]
    assert [d["id"] for d in current] == [v2.json()["id"]]


async def test_cursor_pages(client, pid):
    ids = [
        (
            await client.post(f"/projects/{pid}/documents", headers=UA, **files.form("material", files.pdf(str(i))))
        ).json()["id"]
        for i in range(5)
    ]
    seen, cursor = [], None
    while True:
        r = (
            await client.get(
                f"/projects/{pid}/documents", headers=UA, params={"limit": 2, **({"cursor": cursor} if cursor else {})}
            )
        ).json()
        seen += [d["id"] for d in r["items"]]
        cursor = r["next_cursor"]
        if not cursor:
            break
    assert seen == ids


async def test_interrupted_upload_leaves_nothing(harness, pid):
    """The client sends half a file and disconnects: no row, no event, no blob, no staged file."""
    body_start = (
        b'--XyZ\r\nContent-Disposition: form-data; name="kind"\r\n\r\nmaterial\r\n'
        b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n" + files.pdf() + b"0" * 500_000
    )
    messages = [{"type": "http.request", "body": body_start, "more_body": True}, {"type": "http.disconnect"}]

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    sent = []

    async def send(message):
        sent.append(message)

    root = harness.app.state.settings.data_dir / "blobs"
    before = sorted(p for p in root.rglob("*") if p.is_file())
    headers = [
        (k.lower().encode(), v.encode()) for k, v in {**UA, "Content-Type": "multipart/form-data; boundary=XyZ"}.items()
    ]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": f"/projects/{pid}/documents",
        "raw_path": f"/projects/{pid}/documents".encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 1),
        "server": ("test", 80),
        "state": {},
    }
    await harness.app(scope, receive, send)
    assert await harness.events("ReserveDocumentStored") == []
    assert (await harness.client.get(f"/projects/{pid}/documents", headers=UA)).json()["items"] == []
    assert await store(harness).staged_leftovers() == []
    assert sorted(p for p in root.rglob("*") if p.is_file()) == before


async def test_large_upload_streams_to_disk(client, harness, pid):
    """20 MB in 64 KiB chunks: stored whole and correct (the body is never joined in memory)."""
    chunk = bytes(range(256)) * 256
    head = files.pdf()

    async def body():
        yield (
            b'--B\r\nContent-Disposition: form-data; name="kind"\r\n\r\nfeasibility_study\r\n'
            b'--B\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n\r\n' + head
        )
        for _ in range(320):
            yield chunk
        yield b"\r\n--B--\r\n"

    r = await client.post(
        f"/projects/{pid}/documents", content=body(), headers={**UA, "Content-Type": "multipart/form-data; boundary=B"}
    )
    assert r.status_code == 201, r.text
    expected = hashlib.sha256(head + chunk * 320)
    assert r.json()["sha256"] == expected.hexdigest() and r.json()["size"] == len(head) + len(chunk) * 320


async def test_upload_with_idempotency_key_is_stored_once(client, harness, pid):
    data = files.pdf("idem") + b"0" * 1_500_000  # beyond the 1 MB the middleware keeps in memory
    form = files.raw_form("material", data)
    h = {**UA, **form.pop("headers"), "Idempotency-Key": "upload-1"}
    first = await client.post(f"/projects/{pid}/documents", headers=h, **form)
    again = await client.post(f"/projects/{pid}/documents", headers=h, **form)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"] and again.headers["idempotent-replayed"] == "true"
    assert first.json()["sha256"] == files.sha256(data)
    assert len(await harness.events("ReserveDocumentStored")) == 1


async def test_generated_document_stored_through_store_bytes(client, harness, pid):
    """The interface a service uses for documents it produces itself (DOCX/PDF/XLSX): stored,
    sniffed, recorded with its checksums and DocumentStored, downloadable like an upload."""
    from govkit.auth import Principal
    from govkit.documents import service as documents

    bdb = Principal(sub="bdb-ORG-BDB", name="审核员", org="ORG-BDB", roles=frozenset({"bdb"}))
    data = files.docx()
    async with harness.sessionmaker() as session:
        doc = await documents.store_bytes(
            session,
            store(harness),
            project_id=pid,
            kind="technical_opinion",
            title="技术审核意见",
            data=data,
            actor=bdb,
            filename="意见.docx",
        )
        await session.commit()
    assert doc.content_type.endswith("wordprocessingml.document") and doc.sha256 == files.sha256(data)
    [ev] = await harness.events("ReserveDocumentStored")
    assert (ev.data["doc_id"], ev.data["uploader"], ev.data["sm3"]) == (doc.id, "bdb-ORG-BDB", files.sm3(data))
    got = await client.get(f"/documents/{doc.id}", headers=UA)
    assert got.status_code == 200 and got.content == data
