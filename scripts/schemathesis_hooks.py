"""Schemathesis hooks for `scripts/schemathesis.sh` (loaded with SCHEMATHESIS_HOOKS): what a valid
request is that the OpenAPI document cannot say in JSON Schema.

- An `Idempotency-Key` names one request: a key reused with another body is refused (422) by design
  (API.md). The fuzzer draws few distinct keys, so a request generated as valid gets a fresh UUID.
- A `cursor` is only valid when this API issued it (the schema gives its alphabet, not which ones
  exist): a request generated as valid does not send one the fuzzer made up. Requests generated as
  invalid keep both as drawn, so their refusal is still checked.
"""

from __future__ import annotations

import base64
import json
import uuid

import schemathesis
from schemathesis.core.parameters import ParameterLocation


def _negative(case, location) -> bool:
    meta = case.meta
    return meta is not None and meta.is_negative_at(location)


def _issued_by_us(cursor) -> bool:
    if not isinstance(cursor, str) or not cursor:
        return False
    try:
        return isinstance(json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))), list)
    except Exception:  # noqa: BLE001
        return False


@schemathesis.hook
def before_call(context, case, kwargs):
    headers = case.headers
    if headers and "Idempotency-Key" in headers and not _negative(case, ParameterLocation.HEADER):
        headers["Idempotency-Key"] = str(uuid.uuid4())
    query = case.query
    fuzzed_cursor = query and "cursor" in query and not _issued_by_us(query["cursor"])
    if fuzzed_cursor and not _negative(case, ParameterLocation.QUERY):
        del query["cursor"]
