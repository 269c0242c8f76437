"""The event catalogue (AsyncAPI 3.0) describes every event type that is published or consumed."""

from __future__ import annotations

import json

import pytest

from govkit.dev.asyncapi import ALL_EVENTS_CONSUMERS, build_asyncapi, catalogued_types, consumed_types
from govkit.events import EVENT_TYPES, PUBLISHER, topic_of
from govkit.settings import SERVICES


@pytest.fixture(scope="module")
def handlers():
    return consumed_types()


@pytest.fixture(scope="module")
def doc(handlers):
    return build_asyncapi(handlers)


def _resolve(doc, ref: str):
    assert ref.startswith("#/"), ref
    node = doc
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def test_every_published_type_is_in_the_catalogue(doc):
    missing = set(EVENT_TYPES) - catalogued_types(doc)
    assert not missing, f"published event types missing from the AsyncAPI document: {sorted(missing)}"


def test_every_consumed_type_is_in_the_catalogue(doc, handlers):
    consumed = {t for ts in handlers.values() for t in ts}
    missing = consumed - catalogued_types(doc)
    assert not missing, f"consumed event types missing from the AsyncAPI document: {sorted(missing)}"
    unknown = consumed - set(EVENT_TYPES)
    assert not unknown, f"handlers for event types nobody registers: {sorted(unknown)}"


def test_the_check_fails_when_a_type_is_missing(doc):
    """The guard itself: drop one message and the catalogue no longer covers EVENT_TYPES."""
    broken = json.loads(json.dumps(doc))
    etype = sorted(EVENT_TYPES)[0]
    del broken["channels"][topic_of(PUBLISHER[etype])]["messages"][etype]
    assert etype in set(EVENT_TYPES) - catalogued_types(broken)


def test_document_shape_is_asyncapi_3(doc):
    assert doc["asyncapi"] == "3.0.0"
    assert doc["info"]["title"] and doc["info"]["version"]
    for name, ch in doc["channels"].items():
        assert ch["address"] == name and name.startswith("govpm.")
    for op in doc["operations"].values():
        assert op["action"] in ("send", "receive")
        channel = _resolve(doc, op["channel"]["$ref"])
        for m in op["messages"]:
            assert m["$ref"].startswith(op["channel"]["$ref"] + "/messages/")
            _resolve(doc, m["$ref"])
        assert channel


def test_every_ref_resolves(doc):
    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "$ref":
                    _resolve(doc, v)
                else:
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(doc)


def test_each_message_names_topic_payload_publisher_and_consumers(doc, handlers):
    for etype, model in EVENT_TYPES.items():
        publisher = PUBLISHER[etype]
        topic = topic_of(publisher)
        assert etype in doc["channels"][topic]["messages"]
        msg = doc["components"]["messages"][etype]
        assert msg["x-publisher"] == publisher
        assert msg["payload"]["properties"]["type"]["const"] == etype
        data = _resolve(doc, msg["payload"]["properties"]["data"]["$ref"])
        assert set(model.model_json_schema(mode="serialization").get("properties", {})) <= set(
            data.get("properties", {})
        )
        expected = set(ALL_EVENTS_CONSUMERS) | {svc for svc, ts in handlers.items() if etype in ts}
        assert set(msg["x-consumers"]) == expected
        # the publisher's send operation lists it; each consumer has a receive operation for it
        assert any(
            m["$ref"].endswith(f"/messages/{etype}") for m in doc["operations"][f"{publisher}.publish"]["messages"]
        )
        for consumer in expected:
            op = doc["operations"][f"{consumer}.receive.{publisher}"]
            assert any(m["$ref"].endswith(f"/messages/{etype}") for m in op["messages"])


def test_consumers_come_from_every_service_handler_table(handlers):
    assert set(handlers) == set(SERVICES)


def test_document_is_json_serialisable(doc):
    assert json.loads(json.dumps(doc)) == doc
