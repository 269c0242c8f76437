"""R-22.1 / R-22.2 as pure functions: the mandatory kinds of the archive package, each missing one
named with the rule that requires it; only bdb or the archives authority records the acceptance."""

import pytest

from acceptance.archives.rules import MANDATORY, may_record, missing_kinds

KINDS = [k for k, _ in MANDATORY]


def test_complete_package_passes():
    assert missing_kinds(KINDS, uses_cryptography=False) == []
    assert missing_kinds(KINDS, uses_cryptography=None) == []


@pytest.mark.parametrize("kind,rule", MANDATORY)
def test_each_missing_kind_is_named_with_its_rule(kind, rule):
    [d] = missing_kinds([k for k in KINDS if k != kind], uses_cryptography=False)
    assert (d.rule, d.result, d.details["kind"], d.details["required_by"]) == (rule, "fail", kind, rule)
    assert d.details["basis"] == "practice" and "第二十二条" in d.message


def test_r7_2_crypto_assessment_only_when_cryptography_is_used():
    [d] = missing_kinds(KINDS, uses_cryptography=True)
    assert (d.details["kind"], d.rule) == ("crypto_assessment", "R-7.2")
    assert missing_kinds([*KINDS, "crypto_assessment"], uses_cryptography=True) == []


def test_other_documents_do_not_stand_in_for_a_mandatory_one():
    assert [d.details["kind"] for d in missing_kinds(["other", "material", "invoice"], False)] == KINDS


@pytest.mark.parametrize(
    "roles,ok",
    [
        ({"bdb"}, True),
        ({"archives"}, True),
        ({"unit"}, False),
        ({"unit", "archives"}, True),
        ({"finance"}, False),
        (set(), False),
    ],
)
def test_r22_1_who_records(roles, ok):
    assert may_record(roles) is ok
