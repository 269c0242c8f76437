"""The read model does not depend on how events of different services interleave."""
import uuid

from oversight.projects.projection import derive_status, fold, new_view

PID = uuid.uuid4()
DECLARED = ("ProjectAdmittedToReserve", {"org": "ORG-A", "title": "申报名", "library_year": 2027,
                                         "declaration_no": "SB-2027-0001", "category": "other_system",
                                         "estimated_investment": "300000.00", "declared_on": "2026-10-10",
                                         "route": "window",
                                         "cross_department": {"lead_org": "ORG-A", "participant_orgs": ["ORG-B"]}},
            "reserve")
APPROVED = ("ProjectApproved", {"org": "ORG-A", "participant_orgs": ["ORG-B", "ORG-C"], "title": "批复名",
                                "approved_investment": "280000.00", "approved_on": "2027-02-01",
                                "declared_on": "2026-10-10"}, "approval")
SUSPENDED = ("ProjectSuspended", {"reason": "x"}, "oversight")
ACCEPTED = ("PreliminaryAccepted", {"accepted_on": "2027-06-01"}, "acceptance")


def run(events):
    v = new_view(PID)
    for etype, data, service in events:
        fold(v, etype, data, service)
        v.status = derive_status(v)
    return v


def snapshot(v):
    return {c: getattr(v, c) for c in ("status", "org", "participant_orgs", "title", "library_year",
                                       "approved_investment", "declaration_no", "acceptance_stage")}


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
