"""Portal adapters: to-do items in 盐政通 (the government staff portal) and project status in
苏服办 (the public service portal). Each is off unless its base URL is set; calls are queued as
`deliveries` rows in the consumer's transaction (webhooks/service.py:queue_event) and sent by the
webhook dispatcher, so they are
retried with the same exponential backoff and survive a restart.

## 盐政通 to-do protocol (GOVPM_GATEWAY_YANZHENGTONG_URL, optional bearer GOVPM_GATEWAY_YANZHENGTONG_TOKEN)
- `PUT {base}/todos/{todo_id}` — create (or re-open) a to-do; idempotent by `todo_id`:
  `{"todo_id", "kind", "role", "project_id", "title", "summary", "link", "created_at", "source": "govpm"}`
  `kind` ∈ `estimate_review` (finance), `joint_review` (bdb, approval_bureau),
  `special_addition` (bdb, finance, approval_bureau), `overdue_report` (bdb, unit), and the clocks of
  X-30.1 (`progress_report`, `rectification`, `rectification_verification`, `acceptance_due`,
  `self_evaluation`, `warranty_end`, `post_evaluation`, `extension_decision`, `evaluation_opinion`).
  `role` is the party that must act; the portal routes it to that bureau's in-tray, or — with `org`
  (a unit's or a third party's organisation code) — to that organisation's. → 200/201.
- `POST {base}/todos/{todo_id}/complete` — mark done: `{"completed_at", "outcome"}` → 200;
  404 when the to-do is unknown (retried: the create may still be on its way).
  `todo_id` = `govpm-<kind>-<project_id>-<role>[-<period>]`, so done needs no lookup.

| event | to-do |
|---|---|
| `EstimateReviewOpened` | open `estimate_review` for finance |
| `EstimateReviewed` | complete it |
| `ReviewStarted` | open `joint_review` for bdb and approval_bureau |
| `JointReviewDecided`, `ApplicationReturned`, `ProjectRejected`, `ProjectApproved` | complete both |
| `SpecialAdditionRequested` | open `special_addition` for bdb, finance, approval_bureau |
| `SpecialAdditionDecided` | complete the deciding bureau's (all three once admitted/refused) |
| `ProgressReportOverdue` | open `overdue_report` (period `<year>Q<quarter>`) for bdb and the unit |
| `ProgressReported` | complete the ones of that quarter |
| `SupervisionDeadline`, `AcceptanceDeadline` | `role`'s `clock` to-do (period `ref`): `cleared` completes, else opens |

## 苏服办 status protocol (GOVPM_GATEWAY_SUSUFUBAN_URL, optional bearer GOVPM_GATEWAY_SUSUFUBAN_TOKEN)
- `POST {base}/project-status` — `{"event_id", "project_id", "project_code", "title", "org", "status",
  "status_text", "occurred_at"}` → 2xx; the portal de-duplicates by `event_id`.
  Only public-facing projects (`ProjectApproved` with `serves_public`): `approved`, then
  `code_assigned`, `suspended`, `resumed`, `terminated`, `preliminary_accepted`, `trial_operation`,
  `final_accepted`.
"""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from govkit.events import CloudEvent

from . import repository
from .models import PublicProject

KIND_TITLES = {
    "estimate_review": "概算评审",
    "joint_review": "联合审查",
    "special_addition": "增补入库会商",
    "overdue_report": "季度进展报告逾期",
    "progress_report": "季度进展报送",
    "rectification": "限期整改",
    "rectification_verification": "整改核查",
    "acceptance_due": "竣工验收期限",
    "self_evaluation": "项目自评价",
    "warranty_end": "质保期届满",
    "post_evaluation": "第三方后评价",
    "extension_decision": "验收延期申请",
    "evaluation_opinion": "评价整改意见",
}
CLOCK_EVENTS = ("SupervisionDeadline", "AcceptanceDeadline")
PHASES = {"due": "待办", "approaching": "即将到期", "overdue": "已逾期"}
JOINT = ("bdb", "approval_bureau")
SPECIAL = ("bdb", "finance", "approval_bureau")
STATUS = {
    "ProjectApproved": ("approved", "已批复立项"),
    "ProjectCodeAssigned": ("code_assigned", "已赋项目代码"),
    "ProjectSuspended": ("suspended", "暂停建设"),
    "ProjectResumed": ("resumed", "恢复建设"),
    "ProjectTerminated": ("terminated", "终止建设"),
    "PreliminaryAccepted": ("preliminary_accepted", "已初步验收"),
    "TrialOperationStarted": ("trial_operation", "试运行中"),
    "FinalAccepted": ("final_accepted", "已竣工验收"),
}


def todo_id(kind: str, project_id: str, role: str, period: str | None = None) -> str:
    return f"govpm-{kind}-{project_id}-{role}" + (f"-{period}" if period else "")


class Portals:
    def __init__(self, settings):
        self.settings = settings
        self.bases = {"yanzhengtong": settings.yanzhengtong_url, "susufuban": settings.susufuban_url}
        self.tokens = {"yanzhengtong": settings.yanzhengtong_token, "susufuban": settings.susufuban_token}

    @property
    def enabled(self) -> bool:
        return any(self.bases.values())

    async def send(self, client: httpx.AsyncClient, target: str, payload: dict) -> httpx.Response:
        base = (self.bases.get(target) or "").rstrip("/")
        if not base:
            raise RuntimeError(f"portal {target} not configured")
        headers = {"content-type": "application/json", "user-agent": "GovPM-Portals/1.0"}
        if self.tokens.get(target):
            headers["authorization"] = f"Bearer {self.tokens[target]}"
        return await client.request(payload["method"], base + payload["path"], json=payload["body"], headers=headers)

    # -- what an event means for the portals ---------------------------------------------------
    async def plan(self, session: AsyncSession, event: CloudEvent) -> list[tuple[str, dict]]:
        out: list[tuple[str, dict]] = []
        if self.bases["yanzhengtong"]:
            out += [("yanzhengtong", m) for m in self._todos(event)]
        if self.bases["susufuban"]:
            out += [("susufuban", m) for m in await self._status(session, event)]
        return out

    def _open(
        self,
        event: CloudEvent,
        kind: str,
        roles,
        period: str | None = None,
        summary: str = "",
        org: str | None = None,
        label: str = "",
    ) -> list[dict]:
        pid, data = event.subject or str(event.data.get("project_id")), event.data
        title = data.get("title") or f"项目 {pid}"
        return [
            {
                "method": "PUT",
                "path": f"/todos/{todo_id(kind, pid, role, period)}",
                "body": {
                    "todo_id": todo_id(kind, pid, role, period),
                    "kind": kind,
                    "role": role,
                    "project_id": pid,
                    "title": f"【{KIND_TITLES.get(kind, kind)}{label}】{title}",
                    "summary": summary,
                    "link": f"{self.settings.console_url}/projects/{pid}",
                    "created_at": event.time.isoformat(),
                    "source": "govpm",
                    **({"org": org or data.get("org")} if role in ("unit", "third_party") else {}),
                },
            }
            for role in roles
        ]

    def _done(self, event: CloudEvent, kind: str, roles, outcome: str, period: str | None = None) -> list[dict]:
        pid = event.subject or str(event.data.get("project_id"))
        return [
            {
                "method": "POST",
                "path": f"/todos/{todo_id(kind, pid, role, period)}/complete",
                "body": {"completed_at": event.time.isoformat(), "outcome": outcome},
            }
            for role in roles
        ]

    def _todos(self, event: CloudEvent) -> list[dict]:
        d, t = event.data, event.type
        if t == "EstimateReviewOpened":
            return self._open(
                event,
                "estimate_review",
                ["finance"],
                summary=(
                    f"估算投资 {d.get('estimated_investment')} 元，请于 {d.get('due_on')} 前完成概算评审（第二十五条）"
                ),
            )
        if t == "EstimateReviewed":
            return self._done(event, "estimate_review", ["finance"], f"评审金额 {d.get('reviewed_amount')} 元")
        if t == "ReviewStarted":
            return self._open(
                event,
                "joint_review",
                JOINT,
                summary=f"估算投资 {d.get('estimated_investment')} 元，请组织联合审查（第十一条）",
            )
        if t in ("JointReviewDecided", "ApplicationReturned", "ProjectRejected", "ProjectApproved"):
            return self._done(event, "joint_review", JOINT, d.get("decision") or t)
        if t == "SpecialAdditionRequested":
            return self._open(event, "special_addition", SPECIAL, summary=f"增补理由：{d.get('reason', '')}（第九条）")
        if t == "SpecialAdditionDecided":
            roles = SPECIAL if d.get("outcome") in ("admitted", "refused") else [d.get("bureau")]
            return self._done(event, "special_addition", [r for r in roles if r], d.get("decision") or "")
        if t == "ProgressReportOverdue":  # to bdb and to the unit that must report
            return self._open(
                event,
                "overdue_report",
                ["bdb", "unit"],
                period=f"{d.get('year')}Q{d.get('quarter')}",
                summary=(
                    f"{d.get('year')} 年第 {d.get('quarter')} 季度进展报告逾期"
                    f"（应于 {d.get('due_on')} 前报送，第十八条）"
                ),
            )
        if t == "ProgressReported" and d.get("late") is not False:  # an on-time report had no overdue to-do
            return self._done(
                event, "overdue_report", ["bdb", "unit"], "reported", period=f"{d.get('year')}Q{d.get('quarter')}"
            )
        if t in CLOCK_EVENTS and d.get("clock") and d.get("role"):
            if d.get("phase") == "cleared":
                return self._done(
                    event, d["clock"], [d["role"]], d.get("message") or "done", period=d.get("ref") or None
                )
            due = f"（期限 {d['due_on']}）" if d.get("due_on") else ""
            return self._open(
                event,
                d["clock"],
                [d["role"]],
                period=d.get("ref") or None,
                org=d.get("org"),
                label=f"·{PHASES.get(d.get('phase'), '')}" if d.get("phase") in PHASES else "",
                summary=f"{d.get('message', '')}{due}",
            )
        return []

    async def _status(self, session: AsyncSession, event: CloudEvent) -> list[dict]:
        if event.type not in STATUS or not event.subject:
            return []
        d = event.data
        project = await repository.get_public_project(session, event.subject)
        if event.type == "ProjectApproved":
            if not d.get("serves_public"):
                return []
            if project is None:
                project = repository.add_public_project(
                    session, PublicProject(project_id=event.subject, title=d.get("title", ""), org=d.get("org", ""))
                )
        if project is None:
            return []
        if event.type == "ProjectCodeAssigned":
            project.project_code = d.get("project_code")
        status, text = STATUS[event.type]
        return [
            {
                "method": "POST",
                "path": "/project-status",
                "body": {
                    "event_id": event.id,
                    "project_id": event.subject,
                    "project_code": project.project_code,
                    "title": project.title,
                    "org": project.org,
                    "status": status,
                    "status_text": text,
                    "occurred_at": event.time.isoformat(),
                },
            }
        ]


__all__ = ["Portals", "todo_id"]
