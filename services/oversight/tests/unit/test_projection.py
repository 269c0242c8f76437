"""The read model does not depend on how events of different services interleave."""

import uuid

from govkit.events import EVENT_TYPES
from oversight.projects.projection import derive_status, fold, new_view

PID = uuid.uuid4()
DECLARED = (
    "ProjectAdmittedToReserve",
    {
        "org": "ORG-A",
        "title": "申报名",
        "library_year": 2027,
        "declaration_no": "SB-2027-0001",
        "category": "other_system",
        "estimated_investment": "300000.00",
        "declared_on": "2026-10-10",
        "route": "window",
        "admitted_on": "2026-12-01",
        "cross_department": {"lead_org": "ORG-A", "participant_orgs": ["ORG-B"]},
    },
    "reserve",
)
APPROVED = (
    "ProjectApproved",
    {
        "org": "ORG-A",
        "participant_orgs": ["ORG-B", "ORG-C"],
        "title": "批复名",
        "approved_investment": "280000.00",
        "approved_on": "2027-02-01",
        "declared_on": "2026-10-10",
        "technical_opinion_no": "JS-1",
        "approval_document_no": "PF-1",
        "estimate_review_required": False,
    },
    "approval",
)
SUSPENDED = ("ProjectSuspended", {"reason": "x"}, "oversight")
ACCEPTED = ("PreliminaryAccepted", {"accepted_on": "2027-06-01"}, "acceptance")


def run(events):
    v = new_view(PID)
    for etype, data, _service in events:
        fold(v, EVENT_TYPES[etype].model_validate(data))
        v.status = derive_status(v)
    return v


def snapshot(v):
    return {
        c: getattr(v, c)
        for c in (
            "status",
            "org",
            "participant_orgs",
            "title",
            "library_year",
            "approved_investment",
            "declaration_no",
            "acceptance_stage",
        )
    }


def test_order_of_services_does_not_change_the_view():
    a = run([DECLARED, APPROVED, ACCEPTED, SUSPENDED])
    b = run([SUSPENDED, ACCEPTED, APPROVED, DECLARED])
    assert snapshot(a) == snapshot(b)
    assert a.status == "suspended" and a.title == "批复名" and a.participant_orgs == ["ORG-B", "ORG-C"]
    assert a.library_year == 2027


def test_stub_then_facts():
    v = run([SUSPENDED])
    assert v.status == "suspended" and v.org is None
    v2 = run([("ProjectResumed", {}, "oversight")])
    assert v2.status == "unknown"


def test_r20_2_reapproval_sets_the_approved_investment():
    pending = (
        "AdjustmentFiled",
        {
            "outcome": "reapproval_required",
            "reason_kind": "other",
            "amount_moved": "1.00",
            "new_total": "500000.00",
            "approved_total": "280000.00",
        },
        "approval",
    )
    assert run([DECLARED, APPROVED, pending]).approved_investment == 280000
    again = (
        "ReapprovalApproved",
        {
            "reapproval_id": "r1",
            "adjustment_id": "a1",
            "approved_investment": "250000.00",
            "previous_approved_investment": "280000.00",
            "adjusted_total": "500000.00",
            "technical_opinion_no": "JS-2",
            "approval_document_no": "PF-2",
            "approved_on": "2027-03-01",
        },
        "approval",
    )
    assert str(run([DECLARED, APPROVED, pending, again]).approved_investment) == "250000.00"
