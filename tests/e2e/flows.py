"""The business flows the end-to-end tests share, driven through the gateway as API.md describes them:
declaring an emergency project in reserve (R-9.3, the quickest way into review), taking it through
approval to ProjectApproved (R-10 – R-14, R-11.2, R-25.1), paying it in budget (R-26.1, R-4.2, R-5.1),
and walking it through acceptance to final acceptance (R-21 – R-23).

`api` below is the factory of tests/conftest.py (or `support.api_factory`): `api("unit", org)` → `Api`.
The plumbing (Api, eventually, ok, publish, stacks) is in tests/e2e/support.py and re-exported here."""

from __future__ import annotations

import uuid
from decimal import Decimal

# re-exported: a test imports the plumbing and the flows from this one module
from tests.e2e.support import (  # noqa: F401
    CALLBACK_SECRET,
    Api,
    ApiFactory,
    api_factory,
    build_stack,
    eventually,
    known,
    ok,
    publish,
    started,
    today_iso,
    unique_org,
)

from govkit import clock
from govkit.policy import policy_for

# Citywide bodies: their org does not limit what they see, any org will do.
BDB, APPROVAL_BUREAU, FINANCE, LEADING_GROUP, SECRECY = "BDB", "XZSP", "CZJ", "LDXZ", "BMJ"

RESERVE = "/api/v1/reserve"
APPROVAL = "/api/v1/approval"
BUDGET = "/api/v1/budget"
ACCEPTANCE = "/api/v1/acceptance"


def application_path(pid: str) -> str:
    return f"{APPROVAL}/applications/{pid}"


def budget_path(pid: str) -> str:
    return f"{BUDGET}/projects/{pid}"


def acceptance_path(pid: str) -> str:
    return f"{ACCEPTANCE}/projects/{pid}"


# --- reserve ---------------------------------------------------------------------------------------
def declaration(title: str, amount="800000.00", *, unique: bool = True, **fields) -> dict:
    """A declaration body (API.md, Reserve) with every flag false; `fields` add or override. With
    `unique` the title gets a random suffix, so repeated runs on one stack never collide."""
    return {
        "title": f"{title}-{uuid.uuid4().hex[:4]}" if unique else title,
        "category": "business_application",
        "estimated_investment": str(amount),
        "description": f"{title}：业务系统建设",
        "classified": False,
        "built_by_big_data_group": False,
        "new_civil_works": False,
        "high_energy": False,
        **fields,
    }


def declare_emergency(
    unit: Api,
    amount,
    *,
    title: str | None = None,
    description: str | None = None,
    classified: bool = False,
    built_by_big_data_group: bool = False,
) -> str:
    """An emergency project declared in reserve (R-9.3: registered at once, no window); returns its id."""
    body = declaration(
        title or "应急指挥调度系统",
        amount,
        unique=title is None,
        org=unit.org,
        description=description or f"{title or '应急指挥调度系统'}：应急处置",
        classified=classified,
        built_by_big_data_group=built_by_big_data_group,
        emergency={"type": "natural_disaster", "grounds": "汛期防汛应急需要"},
    )
    declared = ok(unit.post(f"{RESERVE}/declarations", json=body), 201)
    assert declared["status"] == "emergency", declared
    return declared["project_id"]


# --- approval: the steps ---------------------------------------------------------------------------
MATERIALS = (
    ("proposal", "项目建议书"),
    ("feasibility_study", "可行性研究报告"),
    ("preliminary_design", "初步设计方案（含投资概算）"),
    ("security_statement", "安全可靠情况说明"),
)
COMPLIANCE = {
    "uses_shared_infrastructure": True,
    "entrances": ["yanzhengtong"],
    "serves_public": False,
    "data_items": [],
    "county_extension": False,
    "county_extension_reason": "应急专用系统，仅市级部署",
}
EXPERTS = (("张教授", 86),)


def application(reader: Api, pid: str) -> dict:
    """Waits until approval has heard of the project (it opens the application from reserve's event)."""
    return known(reader, application_path(pid))


def prepare_application(unit: Api, pid: str, compliance: dict = COMPLIANCE) -> None:
    """The four materials (R-10.1) and the compliance statement (R-10.2 – R-10.6)."""
    for kind, title in MATERIALS:
        ok(
            unit.post(f"{application_path(pid)}/materials", json={"kind": kind, "title": title, "sha256": "0" * 64}),
            201,
        )
    ok(unit.put(f"{application_path(pid)}/compliance", json=compliance))


def submit_application(unit: Api, pid: str) -> dict:
    return ok(unit.post(f"{application_path(pid)}/submit", json={}))


def review(pid: str, *, experts: Api, joint: Api, scores=EXPERTS) -> None:
    """Expert review (one review per (name, score) of `scores`) and the joint review (R-11.1)."""
    for name, score in scores:
        ok(
            experts.post(
                f"{application_path(pid)}/expert-reviews",
                json={"expert": name, "score": score, "opinion": "方案基本可行"},
            ),
            201,
        )
    ok(joint.post(f"{application_path(pid)}/joint-review", json={"decision": "approve", "opinion": "联合会审通过"}))


def leading_group_approves(leading_group: Api, pid: str) -> dict:
    return ok(
        leading_group.post(
            f"{application_path(pid)}/leading-group-decision", json={"decision": "approve", "opinion": "同意建设"}
        )
    )


def review_estimate(finance: Api, pid: str, *, estimated, reviewed=None, report_no: str | None = None) -> dict:
    """Finance's estimate review in budget (R-25.1): waits until budget has opened it from approval's
    ReviewStarted for `estimated`, then records the report (`reviewed` defaults to `estimated`)."""
    path = f"{budget_path(pid)}/estimate-review"
    opened = known(finance, path)
    assert opened["status"] == "open" and opened["estimated_investment"] == str(estimated), opened
    return ok(
        finance.post(
            path, json={"report_no": report_no or f"GS-{pid[:8]}", "reviewed_amount": str(reviewed or estimated)}
        ),
        201,
    )


def estimate_reached_approval(reader: Api, pid: str) -> dict:
    """Waits until approval has consumed budget's EstimateReviewed."""
    return eventually(lambda: (a := reader.get(application_path(pid)).json())["estimate_review"] and a, timeout=30)


def technical_opinion(bdb: Api, pid: str, document_no: str | None = None) -> dict:
    return ok(
        bdb.post(f"{application_path(pid)}/technical-opinion", json={"document_no": document_no or f"JS-{pid[:8]}"})
    )


def approval_document(
    bureau: Api, pid: str, document_no: str | None = None, approved_investment=None, construction_months: int = 12
) -> dict:
    """The approval document (R-10.1) with its construction period (R-21.5) → ProjectApproved; without
    `approved_investment` approval takes the reviewed (or estimated) amount."""
    body = {"document_no": document_no or f"PF-{pid[:8]}", "construction_months": construction_months}
    if approved_investment is not None:
        body["approved_investment"] = str(approved_investment)
    approved = ok(bureau.post(f"{application_path(pid)}/approval-document", json=body))
    assert approved["status"] == "approved", approved
    return approved


# --- approval: adjustments and re-approval (R-20.1, R-20.2) ------------------------------------------
def line_items(**amounts) -> list[dict]:
    """Construction contents with amounts: line_items(软件开发="400000.00", 硬件="100000.00")."""
    return [{"name": name, "amount": str(amount)} for name, amount in amounts.items()]


def adjust(
    unit: Api,
    pid: str,
    before: list[dict],
    after: list[dict],
    *,
    reason_kind: str = "technical",
    goals_changed: bool = False,
) -> dict:
    """An adjustment with its contents before and after; the system computes the money moved (R-20.1)."""
    return ok(
        unit.post(
            f"{application_path(pid)}/adjustments",
            json={
                "reason_kind": reason_kind,
                "goals_changed": goals_changed,
                "description": "调整建设内容",
                "items_before": before,
                "items_after": after,
            },
        ),
        201,
    )


def reapprove(bdb: Api, bureau: Api, pid: str, reapproval_id: str, **document) -> dict:
    """R-20.2: bdb's technical opinion and approval_bureau's document for the adjusted plan."""
    path = f"{application_path(pid)}/reapprovals/{reapproval_id}"
    ok(bdb.post(f"{path}/technical-opinion", json={"document_no": f"JS-TZ-{pid[:8]}"}))
    done = ok(bureau.post(f"{path}/approval-document", json={"document_no": f"PF-TZ-{pid[:8]}", **document}))
    assert done["status"] == "approved", done
    return done


# --- approval: the whole way -----------------------------------------------------------------------
def approve(api: ApiFactory, unit: Api, pid: str, amount, *, reviewed=None, report_no: str | None = None) -> dict:
    """Take an emergency project from its open application to ProjectApproved: materials, compliance,
    submit, expert and joint review by bdb, the leading group from 2,000,000 元 (R-11.2), finance's
    estimate review in budget from 500,000 元 (R-25.1; `reviewed` amount, `report_no`), the technical
    opinion and the approval document. Returns the approved application."""
    policy = policy_for(clock.today())
    amount = Decimal(str(amount))
    estimate_review = amount >= policy.estimate_review_threshold
    assert reviewed is None or estimate_review, "only an estimate review can change the amount"
    bdb = api("bdb", BDB)
    application(unit, pid)
    prepare_application(unit, pid)
    submit_application(unit, pid)
    review(pid, experts=bdb, joint=bdb)
    if amount >= policy.leading_group_threshold:
        leading_group_approves(api("leading_group", LEADING_GROUP), pid)
    approved_investment = amount
    if estimate_review:
        approved_investment = Decimal(str(reviewed)) if reviewed is not None else amount
        review_estimate(
            api("finance", FINANCE), pid, estimated=amount, reviewed=approved_investment, report_no=report_no
        )
        estimate_reached_approval(unit, pid)
    technical_opinion(bdb, pid)
    return approval_document(api("approval_bureau", APPROVAL_BUREAU), pid, approved_investment=approved_investment)


def approved_project(
    api: ApiFactory, unit: Api, amount, *, reviewed=None, report_no: str | None = None, **flags
) -> str:
    """An emergency project of `unit` declared (R-9.3) and approved (see `approve`); returns its id.
    `flags`: classified, built_by_big_data_group."""
    pid = declare_emergency(unit, amount, **flags)
    approve(api, unit, pid, amount, reviewed=reviewed, report_no=report_no)
    return pid


# --- oversight -------------------------------------------------------------------------------------
OVERSIGHT = "/api/v1/oversight"


def sanction_cause(
    api: ApiFactory,
    unit: Api,
    pid: str,
    *,
    deadline: str | None = None,
    escalate_to: str | None = None,
    basis: str = "第十九条：工程严重逾期，可暂停项目建设",
) -> str:
    """A rectification order that opens the sanctions ladder (R-30.2) at once: ordered by bdb in its
    duty (resource sharing, R-30.1), answered by the unit, verified by bdb as still non-compliant.
    `escalate_to` lets the ladder start at that rung (the order's basis recorded). Returns its id."""
    bdb = api("bdb", BDB)
    body = {"finding": "数据资源未按要求共享", "deadline": deadline or today_iso(), "area": "resource_sharing"}
    if escalate_to:
        body |= {"escalate_to": escalate_to, "escalation_basis": basis}
    rid = ok(bdb.post(f"{OVERSIGHT}/projects/{pid}/rectifications", json=body), 201)["id"]
    assert (
        ok(unit.post(f"{OVERSIGHT}/rectifications/{rid}/close", json={"evidence": "整改报告"}))["status"] == "answered"
    )
    ok(
        bdb.post(
            f"{OVERSIGHT}/rectifications/{rid}/verification",
            json={"result": "non_compliant", "opinion": "整改后仍不符合要求"},
        )
    )
    return rid


# --- budget: contracts, the funding plan and requests, payments ------------------------------------
def budget_view(reader: Api, pid: str) -> dict:
    """Waits until budget knows the project approved (from ProjectApproved); returns its view."""
    return eventually(
        lambda: (
            (r := reader.get(budget_path(pid))).status_code == 200
            and r.json().get("approved_investment") is not None
            and r.json()
        ),
        timeout=30,
    )


def record_contract(
    unit: Api,
    pid: str,
    amount,
    *,
    contract_no: str | None = None,
    signed_on: str | None = None,
    method: str = "competitive_consultation",
) -> dict:
    """A government procurement contract (R-26.1); returns it (`id`, `compliant`, `warnings`)."""
    return ok(
        unit.post(
            f"{budget_path(pid)}/contracts",
            json={
                "contract_no": contract_no or f"HT-{uuid.uuid4().hex[:8]}",
                "supplier": "盐城某信息技术有限公司",
                "amount": str(amount),
                "procurement_method": method,
                "signed_on": signed_on or today_iso(),
            },
        ),
        201,
    )


def fund(api: ApiFactory, unit: Api, pid: str, amount, contract_id: str, *, plan=None) -> str:
    """What finance needs before it pays `amount` on a contract: the project's line in this year's
    funding plan (R-4.2; bdb; `plan`, default the approved investment) and a funding request of the
    unit (R-5.1) that bdb confirms. Returns the confirmed request's id."""
    bdb = api("bdb", BDB)
    view = budget_view(bdb, pid)
    year = int(today_iso()[:4])
    ok(
        bdb.put(
            f"{BUDGET}/funding-plans/{year}/lines/{pid}",
            json={"amount": str(plan or view["approved_investment"]), "reason": "按项目进度安排资金"},
        )
    )
    rid = ok(
        unit.post(
            f"{budget_path(pid)}/funding-requests",
            json={
                "amount": str(amount),
                "purpose": "合同进度款",
                "contract_id": contract_id,
                "evidence": [{"kind": "milestone", "ref": "阶段性成果验收单"}],
            },
        ),
        201,
    )["id"]
    confirmed = ok(
        bdb.post(
            f"{BUDGET}/funding-requests/{rid}/decision", json={"decision": "confirm", "opinion": "符合年度资金计划"}
        )
    )
    assert confirmed["status"] == "confirmed", confirmed
    return rid


def pay(api: ApiFactory, unit: Api, pid: str, amount, contract_id: str, *, purpose: str = "合同进度款") -> dict:
    """A payment of `amount` on the contract through the whole gate: plan line, a confirmed request
    (see `fund`), then finance pays naming it (R-26.1, R-4.2, R-5.1). Returns the disbursement."""
    rid = fund(api, unit, pid, amount, contract_id)
    return ok(
        api("finance", FINANCE).post(
            f"{budget_path(pid)}/disbursements", json={"amount": str(amount), "purpose": purpose, "request_id": rid}
        ),
        201,
    )


# --- acceptance ------------------------------------------------------------------------------------
def acceptance_view(reader: Api, pid: str) -> dict:
    """Waits until acceptance has heard of the project (from ProjectApproved); returns its view."""
    return known(reader, acceptance_path(pid))


def construction_filing(org: str, **fields) -> dict:
    """A complete construction filing (R-15.1, R-16.*, R-17.1); `fields` override."""
    return {
        "implementing_body": f"{org} 信息中心",
        "responsible_person": "王五",
        "supervision_firm": "江苏某监理公司",
        "warranty_years": 2,
        "ip_owner": org,
        "om_plan": "运维方案",
        "training_plan": "培训计划",
        "training_materials": "培训教程",
        **fields,
    }


def file_construction(unit: Api, pid: str, **fields) -> dict:
    """The unit files construction in oversight (once oversight has heard of the approval) and
    acceptance hears of it (ConstructionFiled: the gate of every acceptance step, R-17.1)."""
    path = f"{OVERSIGHT}/projects/{pid}/construction"
    filed = eventually(
        lambda: (r := unit.put(path, json=construction_filing(unit.org, **fields))).status_code == 200 and r.json(),
        timeout=30,
    )
    eventually(
        lambda: (
            (unit.get(acceptance_path(pid)).json().get("construction_filing") or {}).get("version") == filed["version"]
        ),
        timeout=30,
    )
    return filed


# the documents the archives acceptance requires (acceptance.archives.rules.MANDATORY)
ARCHIVE_KINDS = (
    "proposal",
    "feasibility_study",
    "preliminary_design",
    "technical_opinion",
    "approval_document",
    "contract",
    "security_test",
    "risk_assessment",
)
ARCHIVES_ORG = "DAJ"  # 市档案馆


def pdf_bytes(text: str) -> bytes:
    return f"%PDF-1.4\n% {text}\n%%EOF\n".encode()


def upload_document(caller: Api, base: str, pid: str, kind: str, data: bytes | None = None, **fields) -> dict:
    """A stored document (multipart, POST {base}/projects/{pid}/documents), e.g. base = ACCEPTANCE."""
    data = data if data is not None else pdf_bytes(f"{pid} {kind}")
    return ok(
        caller.post(
            f"{base}/projects/{pid}/documents",
            data={"kind": kind, **fields},
            files={"file": (f"{kind}.pdf", data, "application/pdf")},
        ),
        201,
    )


def accept_archives(unit: Api, pid: str, report_no: str = "DA-1", *, upload: bool = True) -> dict:
    """The unit's documents stored (R-22.2, unless `upload` is false), then the archives authority
    records a passed archives acceptance (R-22.1: never the unit itself)."""
    if upload:
        for kind in ARCHIVE_KINDS:
            upload_document(unit, ACCEPTANCE, pid, kind)
    with Api(str(unit.base_url), "archives", ARCHIVES_ORG) as archives:
        return ok(
            archives.post(f"{acceptance_path(pid)}/archives-acceptance", json={"report_no": report_no, "passed": True}),
            201,
        )


def record_prerequisites(unit: Api, pid: str, *, archives: bool = True, filing: bool = True) -> None:
    """The construction filing (R-17.1, unless `filing` is false), archives acceptance (R-22.1,
    unless `archives` is false), the network security test and the risk assessment, and the statement
    that no cryptography is used (R-7.2: no 密评 needed)."""
    if filing:
        file_construction(unit, pid)
    if archives:
        accept_archives(unit, pid)
    for kind in ("mlps", "risk"):  # the network security test and the risk assessment
        ok(
            unit.post(
                f"{acceptance_path(pid)}/security-assessments",
                json={"kind": kind, "report_no": f"{kind.upper()}-1", "passed": True},
            ),
            201,
        )
    ok(unit.put(f"{acceptance_path(pid)}/profile", json={"uses_cryptography": False}))


def trial_operation(unit: Api, pid: str):
    """A one-day trial operation starting today (the raw response: callers check refusals too)."""
    d = today_iso()
    return unit.post(f"{acceptance_path(pid)}/trial-operation", json={"starts_on": d, "ends_on": d})


def apply_for_final(unit: Api, pid: str) -> dict:
    return ok(unit.post(f"{acceptance_path(pid)}/final-application", json={"planned_on": today_iso()}))


def walk_to_final_acceptance(api: ApiFactory, unit: Api, pid: str, path: str) -> dict:
    """From construction to final acceptance along `path` (standard, merged, classified, on_behalf:
    R-21.1 – R-21.4), checking the actor and order refusals on the way; returns the final view."""
    bdb = api("bdb", BDB)
    base = acceptance_path(pid)
    record_prerequisites(unit, pid)
    if path != "merged":
        ok(unit.post(f"{base}/preliminary", json={"opinion": "初验合格"}))
    if path == "classified":
        r = trial_operation(unit, pid)
        assert r.status_code == 409 and r.json()["rule"] == "R-23.1", r.text
        ok(api("secrecy", SECRECY).post(f"{base}/secrecy-review", json={"passed": True, "operator": "信息中心"}), 201)
    ok(trial_operation(unit, pid))
    if path == "standard":
        r = unit.post(f"{base}/final", json={"opinion": "通过"})
        assert r.status_code == 403 and r.json()["rule"] == "R-21.2", r.text
        r = bdb.post(f"{base}/final", json={"opinion": "通过"})
        assert r.status_code == 409 and r.json()["rule"] == "R-21.1", r.text  # not applied for yet
        apply_for_final(unit, pid)
        return ok(bdb.post(f"{base}/final", json={"opinion": "同意通过竣工验收"}))
    r = bdb.post(f"{base}/final", json={"opinion": "通过"})
    assert r.status_code == 403, r.text
    body = {"opinion": "同意通过竣工验收"}
    if path == "on_behalf":
        body["experts"] = ["专家甲", "专家乙"]
    return ok(unit.post(f"{base}/final", json=body))
