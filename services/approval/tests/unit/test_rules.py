"""Pure rule functions: one test (at least) per rule id, with the boundary values."""

from datetime import date
from decimal import Decimal

import pytest

from approval.adjustments.rules import self_adjustment_violations
from approval.applications import rules
from approval.applications.rules import Candidate, CatalogEntry, Subject
from approval.provincial.signing import code_well_formed, sign, signature_valid, timestamp_fresh
from govkit.policy import policy_for

POLICY = policy_for(date(2026, 10, 1))
D = Decimal


@pytest.mark.parametrize("amount,required", [("499999.99", False), ("500000.00", True), ("500000.01", True)])
def test_r25_1_estimate_review_threshold_is_inclusive(amount, required):
    assert rules.estimate_review_required(D(amount), POLICY) is required


@pytest.mark.parametrize("amount,required", [("1999999.99", False), ("2000000.00", True)])
def test_r11_2_leading_group_threshold_is_inclusive(amount, required):
    assert rules.leading_group_required(D(amount), POLICY) is required


def _state(amount, experts=1, joint="approve", lg=None, reviewed=False, document=None):
    """`reviewed`: False (no review), True (reviewed at the declared amount) or the reviewed amount."""
    amount_reviewed = None if reviewed is False else D(amount) if reviewed is True else D(reviewed)
    return rules.ReviewState(
        estimated=D(amount),
        expert_reviews=experts,
        joint_decision=joint,
        leading_group_decision=lg,
        estimate_reviewed=reviewed is not False,
        reviewed=amount_reviewed,
        document_amount=D(document) if document else None,
    )


def test_r11_1_opinions_wait_for_expert_and_joint_review():
    found = rules.opinion_prerequisites(_state("100000.00", experts=0, joint=None), POLICY)
    assert [v["rule"] for v in found] == ["R-11.1", "R-11.1"]
    assert rules.opinion_prerequisites(_state("100000.00"), POLICY) == []


def test_r11_2_leading_group_first_at_threshold_only():
    assert [v["rule"] for v in rules.opinion_prerequisites(_state("2000000.00"), POLICY)] == ["R-11.2"]
    assert rules.opinion_prerequisites(_state("2000000.00", lg="approve"), POLICY) == []
    assert rules.opinion_prerequisites(_state("1999999.99"), POLICY) == []
    assert [v["rule"] for v in rules.leading_group_prerequisites(_state("1999999.99"), POLICY)] == ["R-11.2"]
    assert rules.leading_group_prerequisites(_state("2000000.00"), POLICY) == []


def test_r25_1_approval_waits_for_estimate_review_from_threshold():
    assert rules.approval_prerequisites(_state("499999.99"), POLICY) == []
    assert [v["rule"] for v in rules.approval_prerequisites(_state("500000.00"), POLICY)] == ["R-25.1"]
    assert rules.approval_prerequisites(_state("500000.00", reviewed=True), POLICY) == []


@pytest.mark.parametrize("reviewed,needs_lg", [("1999999.99", False), ("2000000.00", True)])
def test_r11_2_threshold_on_the_reviewed_amount(reviewed, needs_lg):
    """Declared under 2,000,000, reviewed at or over it: the leading group first (R-11.2)."""
    state = _state("1999999.99", reviewed=reviewed)
    assert [v["rule"] for v in rules.opinion_prerequisites(state, POLICY)] == (["R-11.2"] if needs_lg else [])
    assert (rules.leading_group_prerequisites(state, POLICY) == []) is needs_lg
    assert state.highest == D(reviewed)


@pytest.mark.parametrize(
    "document,expected",
    [
        ("499999.99", []),
        ("500000.00", ["R-25.1", "R-10.1"]),  # crosses the review threshold, and exceeds the declared estimate
        ("2500000.00", ["R-11.2", "R-25.1", "R-10.1"]),  # the case: 499,999.99 declared, 2,500,000 approved
    ],
)
def test_r25_1_r11_2_threshold_on_the_approval_documents_amount(document, expected):
    state = _state("499999.99", document=document)
    found = rules.approval_prerequisites(state, POLICY) + rules.document_amount_violations(state)
    assert [v["rule"] for v in found] == expected
    for v in found:
        assert v["article"] and v["message"]
    assert all(v["basis"] == "practice" for v in found if v["rule"] == "R-10.1")


@pytest.mark.parametrize(
    "document,expected",
    [
        ("1999999.99", []),
        ("2000000.00", ["R-11.2", "R-25.1"]),  # the leading group first, and more than the reviewed amount
    ],
)
def test_r11_2_document_reaching_the_leading_group_threshold(document, expected):
    state = _state("1999999.99", reviewed="1999999.99", document=document)
    found = rules.approval_prerequisites(state, POLICY) + rules.document_amount_violations(state)
    assert [v["rule"] for v in found] == expected


@pytest.mark.parametrize("document,ok", [("480000.00", True), ("480000.01", False), ("479999.99", False)])
def test_r25_1_document_is_the_reviewed_amount(document, ok):
    state = _state("500000.00", reviewed="480000.00", document=document)
    assert (rules.document_amount_violations(state) == []) is ok


@pytest.mark.parametrize("document,ok", [("300000.00", True), ("450000.00", True), ("450000.01", False)])
def test_r10_1_document_without_review_within_the_declared_estimate(document, ok):
    found = rules.document_amount_violations(_state("450000.00", document=document))
    assert (found == []) is ok
    assert all(v["rule"] == "R-10.1" and v["basis"] == "practice" for v in found)


def test_r10_1_and_r7_1_materials():
    found = {d.rule: d for d in rules.check_materials({"proposal"})}
    assert found["R-10.1"].result == "fail" and "可行性研究报告" in found["R-10.1"].message
    assert found["R-7.1"].result == "fail"
    ok = {
        d.rule: d.result
        for d in rules.check_materials({"proposal", "feasibility_study", "preliminary_design", "security_statement"})
    }
    assert ok == {"R-10.1": "pass", "R-7.1": "pass"}


def test_r10_2_shared_infrastructure_or_justification_not_for_classified():
    assert rules.check_shared_infrastructure(False, {"uses_shared_infrastructure": True}).result == "pass"
    assert rules.check_shared_infrastructure(False, {"uses_shared_infrastructure": False}).result == "fail"
    assert (
        rules.check_shared_infrastructure(
            False, {"uses_shared_infrastructure": False, "own_infrastructure_justification": "专网"}
        ).result
        == "flag"
    )
    assert rules.check_shared_infrastructure(True, {"uses_shared_infrastructure": False}).result == "pass"


def _subject(**kw):
    base = dict(project_id="p1", org="ORG-A", title="城市管理平台")
    base.update(kw)
    return Subject(**base)


def test_r10_3_second_platform_of_same_department_is_flagged():
    registry = [
        Candidate("registry", "s1", "ORG-A", "城管一体化平台", is_platform=True),
        Candidate("registry", "s2", "ORG-B", "教育平台", is_platform=True),
    ]
    assert rules.check_one_platform(_subject(compliance={"builds_platform": True}), registry).result == "flag"
    other = _subject(org="ORG-C", compliance={"builds_platform": True})
    assert rules.check_one_platform(other, registry).result == "pass"
    integrate = _subject(compliance={"builds_platform": True, "existing_platform_id": "s1"})
    assert rules.check_one_platform(integrate, registry).result == "pass"
    # a platform of the same department still pending counts as well
    pending = [Candidate("application", "p2", "ORG-C", "另一平台", is_platform=True)]
    assert rules.check_one_platform(other, registry, pending).result == "flag"


def test_x10_3_overlap_score_against_registry_and_pending():
    subject = _subject(
        title="智慧城管综合平台", compliance={"functions": [{"name": "案件派遣"}], "data_items": [{"name": "城管案件"}]}
    )
    near = Candidate("registry", "s1", "ORG-X", "智慧城管综合平台", functions=("案件派遣",), data_items=("城管案件",))
    far = Candidate("application", "p9", "ORG-Y", "医保结算系统", functions=("费用结算",))
    d = rules.check_duplicates(subject, [far, near])
    assert d.result == "flag" and d.rule == "X-10.3"
    assert d.details["overlaps"][0]["id"] == "s1" and d.details["overlaps"][0]["score"] == 1.0
    assert all(o["id"] != "p9" for o in d.details["overlaps"])
    assert rules.check_duplicates(subject, [far]).result == "pass"


def test_x10_3_projects_being_built_are_compared_too():
    subject = _subject(title="智慧城管综合平台", compliance={"functions": [{"name": "案件派遣"}]})
    building = Candidate("project", "p1", "ORG-X", "智慧城管综合平台", functions=("案件派遣",))
    found = rules.run_checks(subject, [], [], [], [building])
    dup = next(d for d in found if d.rule == "X-10.3")
    assert dup.result == "flag" and dup.details["overlaps"][0]["kind"] == "project"
    assert next(d for d in rules.run_checks(subject, [], [], [], []) if d.rule == "X-10.3").result == "pass"


def test_r10_4_entrances():
    assert rules.check_entrances({"serves_public": False}).result == "pass"
    assert rules.check_entrances({"serves_public": True, "entrances": []}).result == "fail"
    c = {
        "serves_public": True,
        "entrances": ["susufuban"],
        "functions": [{"name": "企业服务", "audience": "enterprise"}],
    }
    d = rules.check_entrances(c)
    assert d.result == "fail" and "盐企通" in d.message
    c["entrances"].append("yanqitong")
    assert rules.check_entrances(c).result == "pass"


def test_r10_5_data_items_against_shared_catalogs():
    catalog = [
        CatalogEntry("c1", "ORG-M", "企业名称", "unconditional"),
        CatalogEntry("c2", "ORG-M", "社保缴费记录", "conditional"),
        CatalogEntry("c3", "ORG-M", "涉密档案", "not_shared"),
    ]
    d = rules.check_catalog_data({"data_items": [{"name": "企业 名称"}]}, catalog)
    assert d.result == "fail" and d.details["matches"][0]["catalog_item_id"] == "c1"
    assert rules.check_catalog_data({"data_items": [{"name": "社保缴费记录"}]}, catalog).result == "flag"
    assert rules.check_catalog_data({"data_items": [{"name": "涉密档案"}]}, catalog).result == "pass"
    assert (
        rules.check_catalog_data({"data_items": [{"name": "企业名称", "source": "shared:c1"}]}, catalog).result
        == "pass"
    )
    assert rules.check_catalog_data({"data_items": [{"name": "巡查轨迹"}]}, catalog).result == "pass"


def test_r10_6_county_extension_or_reason():
    assert rules.check_county_extension({"county_extension": True}).result == "pass"
    assert rules.check_county_extension({"county_extension": False}).result == "fail"
    assert (
        rules.check_county_extension({"county_extension": False, "county_extension_reason": "仅市级"}).result == "pass"
    )


def test_r12_1_cross_department_contents_must_not_overlap():
    assert rules.check_cross_department(_subject()).result == "pass"
    s = _subject(
        participant_orgs=("ORG-B",),
        compliance={
            "construction_contents": [
                {"org": "ORG-A", "items": ["视频汇聚平台"]},
                {"org": "ORG-B", "items": ["视频汇聚平台建设"]},
            ]
        },
    )
    assert rules.check_cross_department(s).result == "fail"
    s = _subject(
        participant_orgs=("ORG-B",),
        compliance={
            "construction_contents": [
                {"org": "ORG-A", "items": ["视频汇聚平台"]},
                {"org": "ORG-B", "items": ["执法终端管理"]},
            ]
        },
    )
    assert rules.check_cross_department(s).result == "pass"
    missing = _subject(
        participant_orgs=("ORG-B",), compliance={"construction_contents": [{"org": "ORG-A", "items": ["视频汇聚平台"]}]}
    )
    assert rules.check_cross_department(missing).result == "fail"


def test_r14_1_extra_approvals_only_with_civil_works_or_high_energy():
    assert rules.check_extra_approvals(False, False, set()).result == "pass"
    d = rules.check_extra_approvals(True, False, set())
    assert d.result == "fail" and "选址" in d.message and "节能" not in d.message
    assert rules.check_extra_approvals(False, True, set()).result == "fail"
    assert rules.check_extra_approvals(False, True, {"energy_review", "environmental_impact"}).result == "pass"


def test_blocking_checks():
    decisions = [
        rules.Decision("R-10.5", "fail", "x"),
        rules.Decision("R-12.1", "fail", "y"),
        rules.Decision("R-10.3", "flag", "z"),
    ]
    assert [v["rule"] for v in rules.blocking_violations(decisions)] == ["R-12.1"]


# -- R-20.1 / X-20.1 ----------------------------------------------------------------------------


def _adj(moved, prior="0.00", new_total="1000000.00", goals=False, reason="technical", original="1000000.00"):
    return self_adjustment_violations(
        policy=POLICY,
        original_total=D(original),
        prior_moved=D(prior),
        amount_moved=D(moved),
        new_total=D(new_total),
        goals_changed=goals,
        reason_kind=reason,
    )


def test_r20_1_exactly_fifteen_percent_is_allowed():
    assert _adj("150000.00") == []


def test_r20_1_fifteen_percent_plus_a_cent_is_not():
    assert [v["rule"] for v in _adj("150000.01")] == ["R-20.1"]


def test_x20_1_limit_is_cumulative_against_original_total():
    assert _adj("50000.00", prior="100000.00") == []
    assert [v["rule"] for v in _adj("50000.01", prior="100000.00")] == ["X-20.1"]


def test_r20_1_every_unmet_condition_is_listed():
    found = _adj("10000.00", new_total="1000000.01", goals=True, reason="other")
    assert [v["rule"] for v in found] == ["R-20.1", "R-20.1", "R-20.1"]
    assert _adj("10000.00", reason="deployment") == [] and _adj("10000.00", reason="business") == []


def _li(**amounts):
    return [{"name": k, "amount": D(v)} for k, v in amounts.items()]


@pytest.mark.parametrize(
    "before,after,moved",
    [
        (dict(a="600000", b="400000"), dict(a="450000", b="550000"), "150000"),  # moved between items
        (dict(a="600000", b="400000"), dict(a="300000", b="200000"), "500000"),  # a cut of the total
        (dict(a="600000", b="400000"), dict(a="600000", b="400000", c="100000"), "100000"),  # a new item
        (dict(a="600000", b="400000"), dict(a="600000"), "400000"),  # a dropped item
        (dict(a="600000", b="400000"), dict(b="400000", a="600000"), "0"),  # nothing changed
        (dict(a="600000"), {"a ": "600000"}, "0"),  # names compared without surrounding spaces
    ],
)
def test_r20_1_money_moved_is_computed_from_the_contents(before, after, moved):
    from approval.adjustments import rules as adj_rules

    assert adj_rules.money_moved(_li(**before), _li(**after)) == D(moved)


def test_r20_1_cut_from_a_million_to_half_is_not_a_self_adjustment():
    from approval.adjustments import rules as adj_rules

    moved = adj_rules.money_moved(_li(a="600000", b="400000"), _li(a="300000", b="200000"))
    assert [v["rule"] for v in _adj(str(moved), new_total="500000.00")] == ["R-20.1"]


@pytest.mark.parametrize("before,ok", [("1000000.00", True), ("999999.99", False), ("1000000.01", False)])
def test_r20_1_contents_before_add_up_to_the_approved_total(before, ok):
    from approval.adjustments import rules as adj_rules

    found = adj_rules.before_contents_violations(_li(a=before), D("1000000.00"), None)
    assert (found == []) is ok
    assert all(v["basis"] == "practice" and v["field"] == "items_before" for v in found)


def test_r20_1_contents_before_are_the_last_recorded_ones():
    from approval.adjustments import rules as adj_rules

    last = [{"name": "a", "amount": "500000.00"}, {"name": "b", "amount": "500000.00"}]
    assert adj_rules.before_contents_violations(_li(b="500000", a="500000"), D("1000000"), last) == []
    assert len(adj_rules.before_contents_violations(_li(a="600000", b="400000"), D("1000000"), last)) == 1


def _re(approved, adjusted="1000000.00", opinion=True, lg=False, reviewed=None, re_reviewed=None):
    from approval.adjustments import rules as adj_rules

    return [
        v["rule"]
        for v in adj_rules.reapproval_prerequisites(
            technical_opinion=opinion,
            approved=D(approved),
            adjusted_total=D(adjusted),
            leading_group_approved=lg,
            reviewed=D(reviewed) if reviewed else None,
            reapproval_reviewed=D(re_reviewed) if re_reviewed else None,
            policy=POLICY,
        )
    ]


def test_r20_2_reapproval_needs_the_opinion_and_stays_within_the_plan():
    assert _re("400000.00", adjusted="400000.00") == []
    assert _re("400000.00", adjusted="400000.00", opinion=False) == ["R-20.2"]
    assert _re("400000.01", adjusted="400000.00") == ["R-20.2"]


@pytest.mark.parametrize("approved,expected", [("499999.99", []), ("500000.00", ["R-25.1"])])
def test_r25_1_reapproval_without_any_review_from_the_threshold(approved, expected):
    assert _re(approved, adjusted="600000.00") == expected


@pytest.mark.parametrize("approved,expected", [("1000000.00", []), ("1000000.01", ["R-25.1"])])
def test_r25_1_reapproval_above_the_reviewed_amount_needs_a_new_review(approved, expected):
    assert _re(approved, adjusted="1200000.00", reviewed="1000000.00") == expected


@pytest.mark.parametrize("approved,expected", [("1999999.99", []), ("2000000.00", ["R-11.2"])])
def test_r11_2_reapproval_reaching_the_leading_group_threshold(approved, expected):
    assert _re(approved, adjusted="2000000.00", reviewed="2000000.00") == expected
    assert _re(approved, adjusted="2000000.00", reviewed="2000000.00", lg=True) == []


def test_r25_1_reapproval_is_the_reviewed_amount_of_the_adjusted_plan():
    assert _re("1150000.00", adjusted="1200000.00", re_reviewed="1150000.00") == []
    assert _re("1200000.00", adjusted="1200000.00", re_reviewed="1150000.00") == ["R-25.1"]


# -- and the callback signature ----------------------------------------------------------


@pytest.mark.parametrize(
    "code,ok",
    [
        ("2026-320900-65-01-000123", True),
        ("2026-320902-65-01-000123", True),
        ("2026-310900-65-01-000123", False),
        ("2026-320900-65-01-00012", False),
        ("26-320900-65-01-000123", False),
        ("2026-320900-65-01-000123\n", False),
        ("２０２６-320900-65-01-000123", False),
    ],
)
def test_x13_1_code_shape(code, ok):
    assert code_well_formed(code) is ok


def test_callback_signature_and_window():
    body = b'{"a":1}'
    sig = sign("s3cret", "1700000000", body)
    assert sig.startswith("sha256=") and signature_valid("s3cret", "1700000000", body, sig)
    assert not signature_valid("other", "1700000000", body, sig)
    assert not signature_valid("s3cret", "1700000001", body, sig)
    assert not signature_valid("s3cret", "1700000000", body + b" ", sig)
    assert timestamp_fresh("1700000000", 1700000300, 300) and not timestamp_fresh("1700000000", 1700000301, 300)
    assert not timestamp_fresh("abc", 1700000000, 300)
