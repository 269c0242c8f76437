"""Content types decided by the bytes (govkit.documents.sniff) and single byte ranges (RFC 9110)."""

import pytest

from govkit.documents import testing as files
from govkit.documents.endpoints import _parse_range
from govkit.documents.sniff import sniff
from govkit.errors import Problem


@pytest.mark.parametrize(
    "maker,expected",
    [
        (files.pdf, "application/pdf"),
        (files.png, "image/png"),
        (files.jpeg, "image/jpeg"),
        (files.docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (files.xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (files.ofd, "application/ofd"),
        (files.plain_zip, "application/zip"),
    ],
)
def test_sniff(tmp_path, maker, expected):
    data = maker()
    path = tmp_path / "f"
    path.write_bytes(data)
    assert sniff(data[:8192], path) == expected


@pytest.mark.parametrize("data", [b"", b"%PD", b"GIF89a", b"PK\x03\x04 not a zip", b"<html>"])
def test_unknown_content_is_none(tmp_path, data):
    path = tmp_path / "f"
    path.write_bytes(data)
    assert sniff(data, path) is None


@pytest.mark.parametrize(
    "header,expected",
    [
        (None, None),
        ("bytes=0-0", (0, 0)),
        ("bytes=0-99", (0, 99)),
        ("bytes=90-", (90, 99)),
        ("bytes=-10", (90, 99)),
        ("bytes=-500", (0, 99)),
        ("bytes=50-500", (50, 99)),
        ("bytes=99-99", (99, 99)),
        ("bytes=0-1,5-6", None),
        ("items=0-1", None),
        ("bytes=5-2", None),
    ],
)
def test_ranges(header, expected):
    assert _parse_range(header, 100) == expected


@pytest.mark.parametrize("header", ["bytes=100-", "bytes=100-200", "bytes=-0"])
def test_unsatisfiable_ranges_are_416(header):
    with pytest.raises(Problem) as exc:
        _parse_range(header, 100)
    assert exc.value.status == 416 and exc.value.headers == {"Content-Range": "bytes */100"}
