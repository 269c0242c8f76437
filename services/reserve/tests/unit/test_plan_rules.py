"""R-4.1 (pure): plan items, period, who decides what, a declaration's plan item."""

import pytest

from reserve.plans import rules


def test_r4_1_item_codes_unique():
    assert rules.check_items([{"code": "A"}, {"code": "B"}])[0].ok
    d = rules.check_items([{"code": "A"}, {"code": "A"}])[0]
    assert (d.rule, d.result, d.details["field"]) == ("R-4.1", "fail", "items") and d.as_dict()["article"] == "第四条"


def test_r4_1_period_boundaries():
    assert rules.check_period(2026, 2026).ok and rules.check_period(2026, 2030).ok
    assert not rules.check_period(2026, 2025).ok


@pytest.mark.parametrize(
    "status,ok", [("draft", True), ("approved", False), ("rejected", False), ("superseded", False)]
)
def test_r4_1_only_a_draft_is_decided(status, ok):
    assert rules.check_decidable(status).ok is ok


def test_r4_1_plan_item_of_the_approved_plan():
    assert rules.check_plan_item(2, ["P-01", "P-02"], "P-02").ok
    missing = rules.check_plan_item(2, ["P-01", "P-02"], "P-03")
    assert (missing.result, missing.details["field"]) == ("fail", "plan_item")
    assert not rules.check_plan_item(None, [], "P-01").ok  # no approved plan yet


def test_r31_1_jurisdiction_sources():
    from reserve.orgs import rules as org_rules

    assert org_rules.jurisdiction_of("320981", None).details["jurisdiction"] == "320981"
    assert org_rules.jurisdiction_of("320981", "320922").details["source"] == "org_registry"  # the registry first
    assert org_rules.jurisdiction_of(None, "320922").details["jurisdiction"] == "320922"
    assert org_rules.jurisdiction_of(None, None).details["jurisdiction"] == "city"
    bad = org_rules.jurisdiction_of(None, "999999")
    assert (bad.rule, bad.result, bad.details["field"]) == ("R-31.1", "fail", "jurisdiction")
