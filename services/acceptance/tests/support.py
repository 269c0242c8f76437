"""Shared test data: principals and a ProjectApproved factory."""

import uuid
from datetime import date

from govkit.dev.testing import auth
from govkit.events.approval import ProjectApproved
from govkit.events.oversight import ConstructionFiled

ORG = "ORG-UNIT-A"
# A project approved well in the past, so every stage can be recorded with past dates.
APPROVED_ON = date(2024, 1, 10)
DECLARED_ON = date(2023, 10, 1)

UNIT = auth("unit", ORG)
OTHER_UNIT = auth("unit", "ORG-OTHER")
BDB = auth("bdb", "BDB")
ARCHIVES = auth("archives", "ARCHIVES")
NDRC = auth("ndrc", "NDRC")
SECRECY = auth("secrecy", "SECRECY")
THIRD_PARTY = auth("third_party", "TP-CONSULT")
BIG_DATA_GROUP = auth("big_data_group", "BDG")


def approved_event(**kw) -> ProjectApproved:
    data = {
        "project_id": uuid.uuid4(),
        "org": ORG,
        "participant_orgs": [],
        "title": "智慧城管平台",
        "approved_investment": "3000000.00",
        "technical_opinion_no": "JS-1",
        "approval_document_no": "PF-1",
        "estimate_review_required": True,
        "estimate_review_report_no": "GS-1",
        "classified": False,
        "built_by_big_data_group": False,
        "approved_on": APPROVED_ON,
        "declared_on": DECLARED_ON,
    }
    data.update(kw)
    return ProjectApproved(**data)


def filed_event(project_id, **kw) -> ConstructionFiled:
    """Oversight's construction filing with everything R-15.1, R-16.*, R-17.1 ask for."""
    data = {
        "project_id": project_id,
        "implementing_body": "信息中心",
        "supervision_firm": "江苏某监理公司",
        "warranty_years": 3,
        "org": ORG,
        "responsible_person": "王五",
        "ip_owner": ORG,
        "version": 1,
        "om_plan_provided": True,
        "training_plan_provided": True,
        "training_materials_provided": True,
    }
    data.update(kw)
    return ConstructionFiled(**data)
