"""Content-addressed blob storage for documents: one async interface, two backends.

    store = blob_store(settings)                 # LocalBlobStore or S3BlobStore, from GOVPM_STORAGE_*
    async with store.stage(max_bytes=...) as st:  # a temporary object; discarded unless committed
        async for chunk in source:
            await st.write(chunk)                 # SHA-256 and SM3 computed while streaming
        st.head                                   # the first bytes (content sniffing)
        st.path                                   # the staged file (local; e.g. to inspect a ZIP)
        blob = await st.commit()                  # BlobInfo(sha256, sm3, size); same bytes stored once
    blob = await store.put_bytes(b"...")          # small generated documents (DOCX/PDF/XLSX)
    blob = await store.put_file(path)             # a file already on disk (streamed)
    async for chunk in store.read(sha256, start, end):  # bytes start..end inclusive (a Range)
        ...

The address of a blob is its SHA-256 (lower-case hex); SM3 (GB/T 32905, the national hash) is
computed in the same pass and returned with it, for the manifest. A staged upload lives in a
temporary file and only `commit()` makes it visible, so an interrupted or refused upload leaves
nothing behind (`discard()` — or leaving the `async with` without commit — removes it).

Backends:
- `LocalBlobStore(root)`: files under `GOVPM_DATA_DIR/blobs/<aa>/<bb>/<sha256>`; the staged file is
  written under `blobs/tmp/`, fsynced, then renamed into place (atomic on one filesystem).
- `S3BlobStore(...)`: any S3-compatible store (MinIO, Ceph, OSS, moto…) through obstore. Staging is a
  local temporary file (the address is known only once every byte is hashed); commit uploads it
  (multipart, streamed from the file) under `blobs/tmp/<uuid>` and then copies it to
  `blobs/<sha256>` and deletes the temporary object: the final key only ever holds complete bytes.

Settings (`ServiceSettings`): GOVPM_STORAGE=local|s3, GOVPM_S3_ENDPOINT, GOVPM_S3_BUCKET,
GOVPM_S3_ACCESS_KEY, GOVPM_S3_SECRET_KEY, GOVPM_S3_REGION.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import anyio

CHUNK = 256 * 1024
HEAD_BYTES = 8192  # kept for content sniffing


class BlobTooLarge(Exception):
    """More bytes than the stage's `max_bytes` (the upload is discarded)."""

    def __init__(self, limit: int):
        super().__init__(f"more than {limit} bytes")
        self.limit = limit


class BlobNotFound(Exception):
    pass


@dataclass(frozen=True)
class BlobInfo:
    sha256: str
    sm3: str
    size: int
    created: bool = True  # False: the same bytes were already stored (deduplicated)


class Staged:
    """A blob being written: a temporary file, hashed as it grows. Commit or discard it."""

    def __init__(self, store: BlobStore, path: Path, max_bytes: int | None):
        self._store, self.path, self.max_bytes = store, path, max_bytes
        self._sha256, self._sm3 = hashlib.sha256(), hashlib.new("sm3")
        self.size = 0
        self.head = b""
        self._buf: list[bytes] = []
        self._buffered = 0
        self._file = None
        self.done = False

    async def _open(self) -> None:
        # open across write() calls; finish() or discard() closes it
        self._file = await anyio.to_thread.run_sync(lambda: open(self.path, "wb"))  # noqa: SIM115

    async def write(self, chunk: bytes) -> None:
        if not chunk:
            return
        self.size += len(chunk)
        if self.max_bytes is not None and self.size > self.max_bytes:
            raise BlobTooLarge(self.max_bytes)
        if len(self.head) < HEAD_BYTES:
            self.head += chunk[: HEAD_BYTES - len(self.head)]
        self._sha256.update(chunk)
        self._sm3.update(chunk)
        self._buf.append(chunk)
        self._buffered += len(chunk)
        if self._buffered >= CHUNK:
            await self._flush()

    async def _flush(self) -> None:
        data, self._buf, self._buffered = b"".join(self._buf), [], 0
        if data:
            await anyio.to_thread.run_sync(self._file.write, data)

    @property
    def sha256(self) -> str:
        return self._sha256.hexdigest()

    @property
    def sm3(self) -> str:
        return self._sm3.hexdigest()

    async def finish(self) -> None:
        """Flush and close the file (done by commit; call it first to inspect `path`)."""
        if self._file is not None and not self._file.closed:
            await self._flush()
            f = self._file

            def _close():
                f.flush()
                os.fsync(f.fileno())
                f.close()

            await anyio.to_thread.run_sync(_close)

    async def commit(self) -> BlobInfo:
        await self.finish()
        created = await self._store._commit(self)
        self.done = True
        return BlobInfo(self.sha256, self.sm3, self.size, created)

    async def discard(self) -> None:
        if self._file is not None and not self._file.closed:
            await anyio.to_thread.run_sync(self._file.close)
        await anyio.to_thread.run_sync(lambda: self.path.unlink(missing_ok=True))
        self.done = True

    async def __aenter__(self) -> Staged:
        return self

    async def __aexit__(self, *exc) -> None:
        if not self.done:  # an exception, a refusal, or a cancelled request: leave nothing
            with anyio.CancelScope(shield=True):
                await self.discard()


class BlobStore:
    """The interface. Subclasses implement `_commit`, `exists`, `size`, `read`, `delete`."""

    def __init__(self, staging_dir: Path):
        self.staging_dir = Path(staging_dir)

    async def stage(self, max_bytes: int | None = None) -> Staged:
        await anyio.to_thread.run_sync(lambda: self.staging_dir.mkdir(parents=True, exist_ok=True))
        staged = Staged(self, self.staging_dir / f"{uuid.uuid4().hex}.part", max_bytes)
        await staged._open()
        return staged

    async def put_stream(self, chunks: AsyncIterator[bytes], max_bytes: int | None = None) -> BlobInfo:
        async with await self.stage(max_bytes) as st:
            async for chunk in chunks:
                await st.write(chunk)
            return await st.commit()

    async def put_bytes(self, data: bytes) -> BlobInfo:
        async def one():
            yield data

        return await self.put_stream(one())

    async def put_file(self, path: str | Path) -> BlobInfo:
        async def chunks():
            async with await anyio.open_file(path, "rb") as f:
                while chunk := await f.read(CHUNK):
                    yield chunk

        return await self.put_stream(chunks())

    async def read_all(self, sha256: str) -> bytes:
        return b"".join([c async for c in self.read(sha256)])

    async def _commit(self, staged: Staged) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    async def exists(self, sha256: str) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    async def size(self, sha256: str) -> int:  # pragma: no cover - abstract
        raise NotImplementedError

    def read(self, sha256: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:  # pragma: no cover
        raise NotImplementedError

    async def delete(self, sha256: str) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    async def staged_leftovers(self) -> list[str]:
        """Temporary objects still present (tests: an interrupted upload leaves none)."""
        if not self.staging_dir.exists():
            return []
        return sorted(p.name for p in self.staging_dir.iterdir())

    async def close(self) -> None:
        return None


def _check_address(sha256: str) -> str:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise BlobNotFound(sha256)
    return sha256


class LocalBlobStore(BlobStore):
    """Files under `root/<aa>/<bb>/<sha256>`; staging in `root/tmp` (same filesystem: atomic rename)."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        super().__init__(self.root / "tmp")

    def _path(self, sha256: str) -> Path:
        _check_address(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    async def _commit(self, staged: Staged) -> bool:
        final = self._path(staged.sha256)

        def _move() -> bool:
            if final.exists():
                staged.path.unlink(missing_ok=True)
                return False
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged.path, final)
            return True

        return await anyio.to_thread.run_sync(_move)

    async def exists(self, sha256: str) -> bool:
        try:
            return await anyio.to_thread.run_sync(self._path(sha256).exists)
        except BlobNotFound:
            return False

    async def size(self, sha256: str) -> int:
        try:
            return (await anyio.to_thread.run_sync(self._path(sha256).stat)).st_size
        except FileNotFoundError:
            raise BlobNotFound(sha256) from None

    async def read(self, sha256: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        path = self._path(sha256)
        try:
            f = await anyio.open_file(path, "rb")
        except FileNotFoundError:
            raise BlobNotFound(sha256) from None
        async with f:
            await f.seek(start)
            left = None if end is None else end - start + 1
            while left is None or left > 0:
                chunk = await f.read(CHUNK if left is None else min(CHUNK, left))
                if not chunk:
                    break
                if left is not None:
                    left -= len(chunk)
                yield chunk

    async def delete(self, sha256: str) -> None:
        await anyio.to_thread.run_sync(lambda: self._path(sha256).unlink(missing_ok=True))


class S3BlobStore(BlobStore):
    """An S3-compatible bucket through obstore (async, Rust object_store underneath)."""

    def __init__(
        self,
        *,
        bucket: str,
        endpoint: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
        region: str = "us-east-1",
        prefix: str = "blobs",
        staging_dir: str | Path | None = None,
    ):
        from obstore.store import S3Store

        config: dict = {"region": region}
        if endpoint:
            config["endpoint"] = endpoint
            config["virtual_hosted_style_request"] = False
        if access_key:
            config["access_key_id"] = access_key
            config["secret_access_key"] = secret_key or ""
        client_options = {"allow_http": True} if endpoint and endpoint.startswith("http://") else {}
        self.s3 = S3Store(bucket, config=config, client_options=client_options)
        self.prefix = prefix.strip("/")
        super().__init__(Path(staging_dir) if staging_dir else Path(tempfile.gettempdir()) / "govpm-staging")

    def _key(self, sha256: str) -> str:
        return f"{self.prefix}/{_check_address(sha256)}"

    async def _head(self, key: str):
        import obstore

        try:
            return await obstore.head_async(self.s3, key)
        except FileNotFoundError:
            return None

    async def _commit(self, staged: Staged) -> bool:
        import obstore

        key = self._key(staged.sha256)
        try:
            if await self._head(key) is not None:
                return False
            tmp = f"{self.prefix}/tmp/{uuid.uuid4().hex}"
            await obstore.put_async(self.s3, tmp, staged.path, chunk_size=5 * 1024 * 1024)
            try:
                await obstore.copy_async(self.s3, tmp, key)
            finally:
                await obstore.delete_async(self.s3, tmp)
            return True
        finally:
            await anyio.to_thread.run_sync(lambda: staged.path.unlink(missing_ok=True))

    async def exists(self, sha256: str) -> bool:
        try:
            return await self._head(self._key(sha256)) is not None
        except BlobNotFound:
            return False

    async def size(self, sha256: str) -> int:
        meta = await self._head(self._key(sha256))
        if meta is None:
            raise BlobNotFound(sha256)
        return int(meta["size"])

    async def read(self, sha256: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        import obstore

        key = self._key(sha256)
        options = {}
        if start or end is not None:
            options["range"] = (start, end + 1) if end is not None else {"offset": start}
        try:
            result = await obstore.get_async(self.s3, key, options=options or None)
        except FileNotFoundError:
            raise BlobNotFound(sha256) from None
        async for chunk in result.stream(min_chunk_size=CHUNK):
            yield bytes(chunk)

    async def delete(self, sha256: str) -> None:
        import obstore

        await obstore.delete_async(self.s3, self._key(sha256))

    async def temporary_objects(self) -> list[str]:
        """Keys under `<prefix>/tmp/` (tests: an interrupted commit leaves none)."""
        import obstore

        out: list[str] = []
        async for batch in obstore.list(self.s3, prefix=f"{self.prefix}/tmp/"):
            out.extend(m["path"] for m in batch)
        return out


def blob_store(settings) -> BlobStore:
    """The store configured for a service (`GOVPM_STORAGE`: local under GOVPM_DATA_DIR, or s3)."""
    backend = getattr(settings, "storage", "local")
    if backend == "s3":
        return S3BlobStore(
            bucket=settings.s3_bucket,
            endpoint=settings.s3_endpoint,
            access_key=settings.s3_access_key,
            secret_key=settings.s3_secret_key,
            region=settings.s3_region,
            staging_dir=Path(settings.data_dir) / "staging",
        )
    return LocalBlobStore(Path(settings.data_dir) / "blobs")
