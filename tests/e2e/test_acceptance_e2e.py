"""End to end: the four acceptance paths (R-21.1 – R-21.4) from ProjectApproved to final acceptance,
and a standard project refused at final acceptance while its archives acceptance is missing (R-22.1).

Two ways in:
- `test_*_path_*` / `test_standard_final_refused_*`: the whole public route through the gateway —
  an emergency declaration (R-9.3; the quickest way into review), the approval (and, from 500,000 元,
  the budget's estimate review; from 2,000,000 元 the leading group), then acceptance.
- `test_paths_from_a_published_project_approved`: ProjectApproved is published on the broker as the
  approval service would publish it, so the acceptance process, its consumer and the gateway are
  proven on their own (independent of the other services).
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from tests.e2e.flows import (
    ACCEPTANCE,
    BDB,
    accept_archives,
    acceptance_path,
    acceptance_view,
    apply_for_final,
    approved_project,
    eventually,
    file_construction,
    ok,
    publish,
    record_prerequisites,
    trial_operation,
    unique_org,
    walk_to_final_acceptance,
)

from govkit.clock import add_months, add_years, today
from govkit.events.approval import ProjectApproved
from govkit.events.oversight import ProjectSuspended
from govkit.policy import policy_for

POLICY = policy_for(today())  # the thresholds of the paths and of the estimate review


def check_final(done: dict, path: str) -> None:
    assert done["path"] == path and done["stage"] == "final_accepted", done
    assert done["final"]["led_by"] == ("bdb" if path == "standard" else "unit")
    accepted = done["final"]["accepted_on"]
    assert done["warranty_ends_on"] > accepted
    assert done["self_evaluation"]["opens_on"] > accepted and done["missing"] == []


# --- the four paths through the whole system ------------------------------------------------------
@pytest.mark.parametrize(
    "path,amount,flags",
    [
        ("standard", "2500000.00", {}),
        ("merged", "300000.00", {}),
        ("classified", "300000.00", {"classified": True}),
        ("on_behalf", "300000.00", {"built_by_big_data_group": True}),
    ],
)
def test_path_from_declaration_to_final_acceptance(api, path, amount, flags):
    unit = api("unit", unique_org())
    pid = approved_project(api, unit, amount, **flags)
    view = acceptance_view(unit, pid)
    assert view["path"] == path and view["stage"] == "construction"
    # due on the approval date + the approval document's construction period (flows: 12 months)
    assert view["due"]["basis"] == "construction_period" and view["due"]["construction_months"] == 12
    assert view["due_on"] == add_months(date.fromisoformat(view["approved_on"]), 12).isoformat()
    check_final(walk_to_final_acceptance(api, unit, pid, path), path)


def test_standard_final_refused_while_archives_acceptance_is_missing(api):
    unit = api("unit", unique_org())
    amount = "2500000.00"
    pid = approved_project(api, unit, amount)
    assert acceptance_view(unit, pid)["path"] == "standard"
    bdb = api("bdb", BDB)
    record_prerequisites(unit, pid, archives=False)
    ok(unit.post(f"{acceptance_path(pid)}/preliminary", json={"opinion": "初验合格"}))
    ok(trial_operation(unit, pid))
    apply_for_final(unit, pid)
    r = bdb.post(f"{acceptance_path(pid)}/final", json={"opinion": "同意"})
    assert r.status_code == 409 and r.json()["rule"] == "R-22.1", r.text
    assert [v["rule"] for v in r.json()["violations"]] == ["R-22.1"]
    view = unit.get(acceptance_path(pid)).json()
    assert view["stage"] == "final_applied" and [m["rule"] for m in view["missing"]] == ["R-22.1"]
    r = unit.post(f"{acceptance_path(pid)}/archives-acceptance", json={"report_no": "DA-9", "passed": True})
    assert r.status_code == 403 and r.json()["rule"] == "R-22.1", r.text  # not by the unit itself
    accept_archives(unit, pid, "DA-9")
    check_final(ok(bdb.post(f"{acceptance_path(pid)}/final", json={"opinion": "同意"})), "standard")


# --- the acceptance service on its own: ProjectApproved published on the broker -------------------
def _approved(org: str, amount: str, **flags) -> ProjectApproved:
    return ProjectApproved(
        project_id=uuid.uuid4(),
        org=org,
        title="e2e 验收路径",
        approved_investment=amount,
        technical_opinion_no="JS-E2E",
        approval_document_no="PF-E2E",
        estimate_review_required=Decimal(amount) >= POLICY.estimate_review_threshold,
        approved_on=today(),
        declared_on=today(),
        **flags,
    )


def test_paths_from_a_published_project_approved(stack, api):
    org = unique_org()
    unit = api("unit", org)
    at = POLICY.leading_group_threshold  # boundary: at the threshold standard, one fen below merged
    cases = {
        "standard": _approved(org, str(at)),
        "merged": _approved(org, str(at - Decimal("0.01"))),
        "classified": _approved(org, "9000000.00", classified=True),
        "on_behalf": _approved(org, "100000.00", built_by_big_data_group=True),
    }
    suspended = _approved(org, "300000.00")
    publish(stack, *cases.values(), suspended, ProjectSuspended(project_id=suspended.project_id, reason="整改逾期"))
    for path, event in cases.items():
        pid = str(event.project_id)
        assert acceptance_view(unit, pid)["path"] == path
        check_final(walk_to_final_acceptance(api, unit, pid, path), path)
    # a suspended project does not move
    pid = str(suspended.project_id)
    eventually(lambda: acceptance_view(unit, pid)["status"] == "suspended")
    r = trial_operation(unit, pid)
    assert r.status_code == 409 and r.json()["rule"] == "R-30.2", r.text
    # another unit never sees the project
    assert api("unit", unique_org()).get(acceptance_path(pid)).status_code == 404


def test_construction_filing_gates_acceptance_and_the_unit_chooses_its_path(stack, api):
    """R-17.1: no acceptance step before the construction filing (oversight → ConstructionFiled);
    R-21.3: below the threshold the unit chooses the standard path before its first step (bdb then
    leads the final); issue 15: a step under a later one is corrected after bdb reopens it; R-16.1:
    the warranty end is the final acceptance date + the filed term; R-24.2: only the commissioned
    third party files the post-evaluation; R-28.2: opinions on it, answered, shown to reviewers."""
    org = unique_org()
    unit, bdb = api("unit", org), api("bdb", BDB)
    event = _approved(org, str(POLICY.leading_group_threshold - Decimal("0.01")))
    publish(stack, event)
    pid = str(event.project_id)
    assert acceptance_view(unit, pid)["path"] == "merged"
    r = trial_operation(unit, pid)
    assert r.status_code == 409 and r.json()["rule"] == "R-17.1", r.text
    chosen = ok(unit.post(f"{acceptance_path(pid)}/path", json={"path": "standard"}))
    assert chosen["path"] == "standard" and chosen["final_led_by"] == "bdb"
    file_construction(unit, pid, warranty_years=3)
    record_prerequisites(unit, pid, filing=False)
    ok(unit.post(f"{acceptance_path(pid)}/preliminary", json={"opinion": "初验合格"}))
    late = unit.post(f"{acceptance_path(pid)}/path", json={"path": "merged"})
    assert late.status_code == 409 and late.json()["rule"] == "R-21.3"
    base = acceptance_path(pid)
    typo = (today() + timedelta(days=60)).isoformat()  # the trial entered to end two months later
    ok(unit.post(f"{base}/trial-operation", json={"starts_on": today().isoformat(), "ends_on": typo}))
    apply_for_final(unit, pid)
    r = bdb.post(f"{base}/final", json={"opinion": "同意"})
    assert r.status_code == 409 and r.json()["rule"] == "R-21.1", r.text  # before the trial's end
    # issue 15: the trial operation rests under the final application; bdb reopens it, the unit corrects
    step = f"{base}/steps/trial_operation"
    version = unit.get(base).json()["version"]
    body = {"reason": "试运行结束日期录入错误", "ends_on": today().isoformat()}
    r = unit.post(f"{step}/corrections", json=body, headers={"If-Match": f'"{version}"'})
    assert r.status_code == 409 and r.json()["rule"] == "R-21.1", r.text
    version = ok(bdb.post(f"{step}/reopen", json={"reason": "经核实系录入错误"}))["version"]
    fixed = ok(unit.post(f"{step}/corrections", json=body, headers={"If-Match": f'"{version}"'}))
    assert fixed["reopened_step"] is None and fixed["trial_operation"]["ends_on"] == today().isoformat()
    done = ok(bdb.post(f"{base}/final", json={"opinion": "同意"}))
    accepted = date.fromisoformat(done["final"]["accepted_on"])
    assert done["warranty_ends_on"] == add_years(accepted, 3).isoformat()

    # only the third party bdb commissioned files the post-evaluation
    tp, other_tp = api("third_party", "TP-" + org), api("third_party", "TP-OTHER")
    post = {"rating": "fair", "report": "后评价报告"}
    assert tp.post(f"{base}/post-evaluations", json=post).status_code == 403  # not yet commissioned
    due = (today() + timedelta(days=90)).isoformat()
    ok(bdb.post(f"{base}/post-evaluation-commissions", json={"org": "TP-" + org, "due_on": due}), 201)
    r = other_tp.post(f"{base}/post-evaluations", json=post)
    assert r.status_code == 403 and r.json()["rule"] == "R-24.2"
    evaluation = ok(tp.post(f"{base}/post-evaluations", json=post), 201)

    # the competent department's opinion on the result, answered by the unit, shown to reviewers
    dept = api("competent_dept", "ZGBM")
    opinion = ok(
        dept.post(f"{ACCEPTANCE}/evaluations/{evaluation['id']}/opinions", json={"opinion": "请完善运维保障"}), 201
    )
    summary = ok(bdb.get(f"{ACCEPTANCE}/orgs/{org}/evaluation-summary"))
    assert [o["id"] for o in summary["open_opinions"]] == [opinion["id"]]
    assert [r["rating"] for r in summary["ratings"]] == ["fair"]
    ok(unit.post(f"{ACCEPTANCE}/evaluation-opinions/{opinion['id']}/answer", json={"answer": "已落实"}))
    assert ok(bdb.get(f"{ACCEPTANCE}/orgs/{org}/evaluation-summary"))["open_opinions"] == []
