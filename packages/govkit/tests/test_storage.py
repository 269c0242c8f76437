"""govkit.storage: both backends (local files; S3 against moto's server started here), content
addressing with SHA-256 and SM3, deduplication, ranges, limits and nothing left by a failed upload."""

from __future__ import annotations

import hashlib
import os

import pytest

from govkit.storage import BlobNotFound, BlobTooLarge, LocalBlobStore, S3BlobStore

DATA = os.urandom(700 * 1024) + "中文内容".encode()


@pytest.fixture(scope="module")
def s3_endpoint():
    boto3 = pytest.importorskip("boto3")
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
    ).create_bucket(Bucket="govpm-test")
    yield endpoint
    server.stop()


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    if request.param == "local":
        return LocalBlobStore(tmp_path / "blobs")
    endpoint = request.getfixturevalue("s3_endpoint")
    return S3BlobStore(
        bucket="govpm-test",
        endpoint=endpoint,
        access_key="test",
        secret_key="test",
        prefix=f"t{os.urandom(4).hex()}",
        staging_dir=tmp_path / "staging",
    )


async def chunks(data: bytes, size: int = 64 * 1024):
    for i in range(0, len(data), size):
        yield data[i : i + size]


async def test_put_stream_addresses_by_sha256_with_sm3(store):
    blob = await store.put_stream(chunks(DATA))
    assert blob.sha256 == hashlib.sha256(DATA).hexdigest()
    assert blob.sm3 == hashlib.new("sm3", DATA).hexdigest()
    assert blob.size == len(DATA) and blob.created
    assert await store.exists(blob.sha256)
    assert await store.size(blob.sha256) == len(DATA)
    assert await store.read_all(blob.sha256) == DATA
    assert await store.staged_leftovers() == []


async def test_same_bytes_stored_once(store):
    first = await store.put_bytes(DATA)
    second = await store.put_stream(chunks(DATA, 1000))
    assert (first.sha256, first.created) == (second.sha256, True) or not second.created
    assert not second.created
    assert await store.staged_leftovers() == []


async def test_ranges(store):
    blob = await store.put_bytes(DATA)
    got = b"".join([c async for c in store.read(blob.sha256, 10, 19)])
    assert got == DATA[10:20]
    tail = b"".join([c async for c in store.read(blob.sha256, len(DATA) - 5)])
    assert tail == DATA[-5:]
    one = b"".join([c async for c in store.read(blob.sha256, 0, 0)])
    assert one == DATA[:1]


async def test_interrupted_upload_leaves_nothing(store):
    async def broken():
        yield DATA[:300_000]
        raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError):
        await store.put_stream(broken())
    assert await store.staged_leftovers() == []
    assert not await store.exists(hashlib.sha256(DATA[:300_000]).hexdigest())
    if isinstance(store, S3BlobStore):
        assert await store.temporary_objects() == []


async def test_limit_refuses_one_byte_over_and_keeps_nothing(store):
    with pytest.raises(BlobTooLarge):
        await store.put_stream(chunks(b"x" * 1001), max_bytes=1000)
    assert await store.staged_leftovers() == []
    exact = await store.put_stream(chunks(b"y" * 1000), max_bytes=1000)  # exactly at the limit: stored
    assert exact.size == 1000


async def test_staged_then_discarded_is_not_stored(store):
    async with await store.stage() as st:
        await st.write(b"draft bytes")
        sha = st.sha256
    assert not await store.exists(sha)
    assert await store.staged_leftovers() == []


async def test_unknown_address(store):
    assert not await store.exists("0" * 64)
    assert not await store.exists("../../etc/passwd")
    with pytest.raises(BlobNotFound):
        await store.size("f" * 64)
    with pytest.raises(BlobNotFound):
        await store.read_all("nothex")
