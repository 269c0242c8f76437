"""R-15.1, R-16.1, R-16.2, R-17.1: what a construction filing must contain."""

from datetime import date

from oversight.construction.rules import check_filing, failures
from oversight.construction.schemas import ConstructionIn

COMPLETE = dict(
    implementing_body="市应急管理局信息中心",
    responsible_person="张三",
    supervision_firm="江苏某监理公司",
    warranty_years=2,
    ip_owner="ORG-A",
    om_plan="运维方案",
    training_plan="培训方案",
)


def failed(**changes):
    body = ConstructionIn(**{**COMPLETE, **changes})
    return {
        (d.rule, d.details["field"]) for d in failures(check_filing(body, project_orgs=["ORG-A"], on=date(2027, 1, 1)))
    }


def test_complete_filing_passes():
    assert failed() == set()


def test_r15_1_implementing_body_and_responsible_person():
    assert failed(implementing_body=" ", responsible_person=None) == {
        ("R-15.1", "implementing_body"),
        ("R-15.1", "responsible_person"),
    }


def test_r17_1_supervision_firm_is_mandatory():
    assert failed(supervision_firm=None) == {("R-17.1", "supervision_firm")}


def test_r16_1_warranty_at_least_two_years_boundary():
    assert failed(warranty_years=2) == set()
    assert failed(warranty_years=1) == {("R-16.1", "warranty_years")}
    assert failed(warranty_years=None) == {("R-16.1", "warranty_years")}


def test_r16_2_results_belong_to_the_unit_and_plans_are_given():
    assert failed(ip_owner="某承建公司") == {("R-16.2", "ip_owner")}
    assert failed(ip_owner="unit") == set()
    assert failed(om_plan="", training_plan=None) == {("R-16.2", "om_plan"), ("R-16.2", "training_plan")}


def test_empty_filing_lists_everything_missing():
    body = ConstructionIn()
    rules = {d.rule for d in failures(check_filing(body, project_orgs=["ORG-A"], on=date(2027, 1, 1)))}
    assert rules == {"R-15.1", "R-16.1", "R-16.2", "R-17.1"}
