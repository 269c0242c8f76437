"""A streamed multipart/form-data upload: text fields kept (small), the file part written chunk by
chunk into a staged blob (`govkit.storage`) while it arrives — the body is never held in memory.

python-multipart's push parser is fed each chunk of `request.stream()`; its callbacks only collect
what the chunk contained, and the awaited writes happen between chunks."""

from __future__ import annotations

from dataclasses import dataclass, field

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request

from ..errors import Problem
from ..storage import BlobStore, BlobTooLarge, Staged

MAX_FIELD_BYTES = 4096
MAX_PARTS = 12
FILE_FIELD = "file"


def _bad(field_name: str, message: str) -> Problem:
    return Problem(422, f"上传内容不合规：{message}", violations=[{"field": field_name, "message": message}])


def too_large(limit: int, what: str = "文件") -> Problem:
    return Problem(
        413,
        f"{what}超过大小上限 {limit} 字节（{limit // (1024 * 1024)} MB）",
        max_bytes=limit,
        violations=[{"field": "file", "message": f"larger than {limit} bytes"}],
    )


@dataclass
class Upload:
    fields: dict[str, str] = field(default_factory=dict)
    staged: Staged | None = None
    filename: str = ""
    declared_type: str = ""


async def receive(request: Request, store: BlobStore, max_bytes: int, limit_for=None) -> Upload:
    """Parse the request body. `max_bytes` caps the file (413 as soon as it is passed);
    `limit_for(fields)` may lower it once the fields before the file are known (e.g. `kind`).
    The caller owns `upload.staged` (commit or discard; it is discarded here on any error)."""
    ctype, params = parse_options_header(request.headers.get("content-type"))
    if ctype != b"multipart/form-data" or b"boundary" not in params:
        raise Problem(
            415,
            "上传须使用 multipart/form-data",
            violations=[{"field": "content-type", "message": "multipart/form-data expected"}],
        )
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > max_bytes + 64 * 1024:
        raise too_large(max_bytes)
    up = Upload()
    events: list[tuple] = []
    state = {"name": None, "hfield": b"", "hvalue": b"", "headers": {}, "parts": 0}

    def on_part_begin():
        state["headers"], state["name"] = {}, None
        state["parts"] += 1

    def on_header_field(data, start, end):
        state["hfield"] += data[start:end]

    def on_header_value(data, start, end):
        state["hvalue"] += data[start:end]

    def on_header_end():
        state["headers"][state["hfield"].lower()] = state["hvalue"]
        state["hfield"], state["hvalue"] = b"", b""

    def on_headers_finished():
        _, disp = parse_options_header(state["headers"].get(b"content-disposition"))
        name = disp.get(b"name", b"").decode("utf-8", "replace")
        state["name"] = name
        events.append(
            (
                "begin",
                name,
                disp.get(b"filename", b"").decode("utf-8", "replace"),
                state["headers"].get(b"content-type", b"").decode("latin-1"),
            )
        )

    def on_part_data(data, start, end):
        events.append(("data", state["name"], bytes(data[start:end])))

    def on_part_end():
        events.append(("end", state["name"]))

    parser = MultipartParser(
        params[b"boundary"],
        {
            "on_part_begin": on_part_begin,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_headers_finished": on_headers_finished,
        },
    )
    texts: dict[str, bytearray] = {}
    seen_file = False
    try:
        async for chunk in request.stream():
            try:
                parser.write(chunk)
            except Exception as exc:  # noqa: BLE001 - a malformed body
                raise _bad("body", f"multipart 格式错误（{type(exc).__name__}）") from None
            if state["parts"] > MAX_PARTS:
                raise _bad("body", "表单字段过多")
            for ev in events:
                if ev[0] == "begin":
                    _, name, filename, declared = ev
                    if name == FILE_FIELD:
                        if seen_file:
                            raise _bad(FILE_FIELD, "只能上传一个文件")
                        seen_file = True
                        limit = limit_for(up.fields) if limit_for else max_bytes
                        up.staged = await store.stage(min(limit, max_bytes))
                        up.filename, up.declared_type = filename[:300], declared
                    else:
                        texts[name] = bytearray()
                elif ev[0] == "data":
                    _, name, data = ev
                    if name == FILE_FIELD:
                        try:
                            await up.staged.write(data)
                        except BlobTooLarge as exc:
                            raise too_large(exc.limit) from None
                    elif name in texts:
                        texts[name] += data
                        if len(texts[name]) > MAX_FIELD_BYTES:
                            raise _bad(name, f"字段 {name} 过长")
                elif ev[0] == "end" and ev[1] != FILE_FIELD and ev[1] in texts:
                    try:
                        up.fields[ev[1]] = texts.pop(ev[1]).decode("utf-8").strip()
                    except UnicodeDecodeError:
                        raise _bad(ev[1], f"字段 {ev[1]} 须为 UTF-8 文本") from None
            events.clear()
        parser.finalize()
    except ClientDisconnect:
        if up.staged is not None:
            await up.staged.discard()
        raise Problem(400, "上传中断，文件未保存") from None
    except BaseException:
        if up.staged is not None:
            await up.staged.discard()
        raise
    if up.staged is None:
        raise _bad(FILE_FIELD, "缺少文件（file）")
    return up
