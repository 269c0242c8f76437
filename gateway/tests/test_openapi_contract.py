"""The merged public OpenAPI (what integrators and the console's typed client read): every operation
has a Chinese summary, every JSON answer a schema of its own, every request body an example, the
enums and the conditionally required fields described (issue 15)."""

import pytest

from gateway.openapi_dump import build

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def spec():
    return build()


def operations(spec):
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield method, path, op


def chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text or "")


def test_every_operation_has_a_chinese_summary(spec):
    missing = [op["operationId"] for _, _, op in operations(spec) if not chinese(op.get("summary"))]
    assert not missing, missing
