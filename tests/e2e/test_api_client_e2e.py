"""An integrator's view: a Python client generated from the gateway's merged OpenAPI document by
`openapi-python-client` must generate without a single warning and must carry one whole project life —
declaration → review → approval → funding → contract → payment → acceptance — through its own
functions, found by operationId (`reserve.declarations.create` → `reserve_declarations_create`).

The generator lives in a venv of its own (.venv-client, made on first use, like .venv-fuzz); the
generated package is written to a temporary folder and imported from there. The calls and their order
are those of tests/e2e/flows.py; only the transport differs."""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
import time
import types
import typing
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from tests.e2e.flows import (
    APPROVAL_BUREAU,
    ARCHIVE_KINDS,
    ARCHIVES_ORG,
    BDB,
    COMPLIANCE,
    FINANCE,
    MATERIALS,
    construction_filing,
    declaration,
    eventually,
    pdf_bytes,
    today_iso,
    unique_org,
)

from govkit import clock
from govkit.dev.testing import token
from govkit.policy import policy_for
from govkit.settings import SERVICES

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = "openapi-python-client==0.29.1"
VENV = ROOT / ".venv-client"
# Excel downloads are bytes to a client: the generator is told so (it knows only a few media types).
CONFIG = {
    "package_name_override": "govpm_client",
    "post_hooks": [],  # no formatter run over the generated code
    "content_type_overrides": {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "application/octet-stream",
    },
}


def generator() -> Path:
    binary = VENV / "bin" / "openapi-python-client"
    if not binary.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(VENV / "bin" / "python"), "-m", "pip", "install", "-q", GENERATOR], check=True)
    return binary


@pytest.fixture(scope="module")
def generated(stack, tmp_path_factory) -> tuple[types.ModuleType, str]:
    """(the generated package, the generator's output)."""
    import httpx

    out = tmp_path_factory.mktemp("client")
    spec = out / "openapi.json"

    def whole():  # the gateway merges what the services answer: wait until every one has
        doc = httpx.get(f"{stack.gateway_url}/openapi.json", timeout=30).json()
        return {t["name"] for t in doc["tags"]} >= {*SERVICES, "gateway"} and doc

    doc = eventually(whole, timeout=60)
    spec.write_text(json.dumps(doc, ensure_ascii=False))
    config = out / "config.json"
    config.write_text(json.dumps(CONFIG))
    result = subprocess.run(
        [
            str(generator()),
            "generate",
            "--path",
            str(spec),
            "--meta",
            "none",
            "--output-path",
            str(out / "govpm_client"),
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    sys.path.insert(0, str(out))
    try:
        package = importlib.import_module("govpm_client")
        yield package, output
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m == "govpm_client" or m.startswith("govpm_client.")]:
            del sys.modules[name]


def test_the_client_generates_without_a_warning(generated):
    _, output = generated
    for word in ("Warning", "WARNING", "Unable to parse", "Error"):
        assert word not in output, output


class Client:
    """One principal calling operations of the generated client by operationId."""

    def __init__(self, package: types.ModuleType, base_url: str, role: str, org: str):
        self.package, self.org = package, org
        self.http = package.AuthenticatedClient(base_url=base_url, token=token(role, org), timeout=30.0)
        api = importlib.import_module(f"{package.__name__}.api")
        self.modules = {
            info.name.rsplit(".", 1)[-1]: info.name
            for info in pkgutil.walk_packages(api.__path__, f"{package.__name__}.api.")
            if not info.ispkg
        }

    def call(self, operation_id: str, body: dict | None = None, *, expect=(200, 201), **params):
        """Calls `operation_id` with `body` made into its generated model; returns (status, parsed, JSON)."""
        module = importlib.import_module(self.modules[operation_id.replace(".", "_")])
        hints = typing.get_type_hints(module.sync_detailed)
        if body is not None:
            params["body"] = model_of(hints["body"]).from_dict(body)
        if "idempotency_key" in hints:
            params["idempotency_key"] = str(uuid.uuid4())
        response = module.sync_detailed(client=self.http, **params)
        status = int(response.status_code)
        assert status in expect, f"{operation_id} → {status}: {response.content[:800]!r}"
        if 200 <= status < 300:
            assert response.parsed is not None, f"{operation_id}: the 2xx answer did not parse into its schema"
        return status, response.parsed, json.loads(response.content) if response.content else None

    def json(self, operation_id: str, body: dict | None = None, **params):
        return self.call(operation_id, body, **params)[2]

    def eventually(self, operation_id: str, until=lambda body: True, timeout: float = 30, **params):
        """Polls a GET until it answers 200 with a body for which `until` holds (events cross services)."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            status, _, body = self.call(operation_id, expect=(200, 404), **params)
            if status == 200 and until(body):
                return body
            last = (status, body)
            time.sleep(0.2)
        raise AssertionError(f"{operation_id}: not as expected within {timeout}s; last {last!r}")


def model_of(annotation):
    """The generated model class in `Model | None | Unset`."""
    candidates = [a for a in typing.get_args(annotation) or (annotation,) if hasattr(a, "from_dict")]
    assert candidates, annotation
    return candidates[0]


def test_one_whole_project_life_through_the_generated_client(generated, stack):
    package, _ = generated
    org = unique_org("CLIENT")
    base = stack.gateway_url

    def as_(role: str, who: str) -> Client:
        return Client(package, base, role, who)

    unit, bdb, finance = as_("unit", org), as_("bdb", BDB), as_("finance", FINANCE)
    bureau, archives = as_("approval_bureau", APPROVAL_BUREAU), as_("archives", ARCHIVES_ORG)
    amount = Decimal("800000.00")
    policy = policy_for(clock.today())
    assert amount < policy.leading_group_threshold  # no leading group for this one

    # Reserve: an emergency project enters review at once.
    body = declaration("客户端应急系统", amount, org=org, emergency={"type": "natural_disaster", "grounds": "防汛"})
    declared = unit.json("reserve.declarations.create", body)
    assert declared["status"] == "emergency"
    pid = declared["project_id"]

    # Approval: materials, compliance, submission, expert and joint review, estimate, opinion, document.
    unit.eventually("approval.applications.get", project_id=pid)
    for kind, title in MATERIALS:
        unit.call(
            "approval.applications.materials.create", {"kind": kind, "title": title, "sha256": "0" * 64}, project_id=pid
        )
    unit.call("approval.applications.compliance.update", COMPLIANCE, project_id=pid)
    unit.call("approval.applications.submit", project_id=pid)
    bdb.call(
        "approval.applications.expert_reviews.create",
        {"expert": "张教授", "score": 86, "opinion": "方案基本可行"},
        project_id=pid,
    )
    bdb.call("approval.applications.joint_review", {"decision": "approve", "opinion": "联合会审通过"}, project_id=pid)
    approved_investment = amount
    if amount >= policy.estimate_review_threshold:  # finance reviews the estimate in budget
        finance.eventually("budget.projects.estimate_review.get", lambda b: b["status"] == "open", project_id=pid)
        finance.call(
            "budget.projects.estimate_review",
            {"report_no": f"GS-{pid[:8]}", "reviewed_amount": str(amount)},
            project_id=pid,
        )
        unit.eventually("approval.applications.get", lambda b: b.get("estimate_review"), project_id=pid)
    bdb.call("approval.applications.technical_opinion", {"document_no": f"JS-{pid[:8]}"}, project_id=pid)
    approved = bureau.json(
        "approval.applications.approval_document",
        {"document_no": f"PF-{pid[:8]}", "construction_months": 12, "approved_investment": str(approved_investment)},
        project_id=pid,
    )
    assert approved["status"] == "approved"

    # Budget: a contract, the plan line, a confirmed funding request, the payment.
    bdb.eventually("budget.projects.get", lambda b: b.get("approved_investment") is not None, project_id=pid)
    contract = unit.json(
        "budget.projects.contracts.create",
        {
            "contract_no": f"HT-{uuid.uuid4().hex[:8]}",
            "supplier": "盐城某信息技术有限公司",
            "amount": "600000.00",
            "procurement_method": "competitive_consultation",
            "signed_on": today_iso(),
        },
        project_id=pid,
    )
    year = int(today_iso()[:4])
    bdb.call(
        "budget.funding_plans.lines.update",
        {"amount": str(approved_investment), "reason": "按项目进度安排资金"},
        year=year,
        project_id=pid,
    )
    request = unit.json(
        "budget.projects.funding_requests.create",
        {
            "amount": "300000.00",
            "purpose": "合同进度款",
            "contract_id": contract["id"],
            "evidence": [{"kind": "milestone", "ref": "阶段性成果验收单"}],
        },
        project_id=pid,
    )
    confirmed = bdb.json(
        "budget.funding_requests.decision",
        {"decision": "confirm", "opinion": "符合年度资金计划"},
        request_id=request["id"],
    )
    assert confirmed["status"] == "confirmed"
    paid = finance.json(
        "budget.projects.disbursements.create",
        {"amount": "300000.00", "purpose": "合同进度款", "request_id": request["id"]},
        project_id=pid,
    )
    assert Decimal(paid["amount"]) == Decimal("300000.00")
    ledger = finance.json("budget.projects.ledger.get", project_id=pid)
    assert Decimal(ledger["paid_total"]) == Decimal("300000.00")

    # Acceptance, the merged path below 2,000,000 元: filing, archives, security, trial, final.
    unit.eventually("acceptance.projects.get", project_id=pid)
    filed = unit.json("oversight.projects.construction.update", construction_filing(org), project_id=pid)
    unit.eventually(
        "acceptance.projects.get",
        lambda b: (b.get("construction_filing") or {}).get("version") == filed["version"],
        project_id=pid,
    )
    for kind in ARCHIVE_KINDS:
        unit.call(
            "acceptance.projects.documents.create",
            {"kind": kind, "file": pdf_bytes(f"{pid} {kind}")},
            project_id=pid,
        )
    archives.call("acceptance.projects.archives_acceptance", {"report_no": "DA-1", "passed": True}, project_id=pid)
    for kind in ("mlps", "risk"):
        unit.call(
            "acceptance.projects.security_assessments.create",
            {"kind": kind, "report_no": f"{kind.upper()}-1", "passed": True},
            project_id=pid,
        )
    unit.call("acceptance.projects.profile.update", {"uses_cryptography": False}, project_id=pid)
    unit.call("acceptance.projects.trial_operation", {"starts_on": today_iso(), "ends_on": today_iso()}, project_id=pid)
    final = unit.json("acceptance.projects.final", {"opinion": "同意通过竣工验收"}, project_id=pid)
    assert final["stage"] == "final_accepted", final

    # The whole-project view and the timeline tell the same life.
    timeline = unit.eventually(
        "oversight.projects.timeline.get",
        lambda b: "FinalAccepted" in {i["type"] for i in b["items"]},
        project_id=pid,
    )
    types_seen = [i["type"] for i in timeline["items"]]
    assert types_seen.index("ProjectApproved") < types_seen.index("FinalAccepted")
