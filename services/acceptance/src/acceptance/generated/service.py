"""Generated document of acceptance: the 验收意见 of the latest acceptance stage passed (preliminary or
final), by whoever leads that stage on the project's path (R-21.2 – R-21.4), stored as DOCX and PDF."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from govkit import docgen
from govkit.auth import Principal
from govkit.errors import Problem

from ..archives import repository as archives_repo
from ..prerequisites import repository as prerequisites
from ..projects import rules
from ..projects.access import load_visible

KIND_ZH = {"mlps": "网络安全等级保护测评", "risk": "风险评估", "crypto": "密码应用安全性评估"}


def _passed(ok: bool) -> str:
    return "合格" if ok else "不合格"


async def acceptance_opinion(session: AsyncSession, store, principal: Principal, project_id: uuid.UUID, body) -> dict:
    project = await load_visible(session, principal, project_id)
    if project.final_accepted_on is not None:
        step, on, opinion = "final", project.final_accepted_on, project.final_opinion
    elif project.preliminary_on is not None:
        step, on, opinion = "preliminary", project.preliminary_on, project.preliminary_opinion
    else:
        raise Problem(409, "项目尚未通过初步验收或终验，不能生成验收意见（第二十一条）", rule="R-21.1")
    actor = rules.check_actor(project.path, step, principal.roles)
    if not actor.ok:
        raise Problem(403, actor.message, rule=actor.rule)
    leader = "盐城市大数据管理局" if rules.step_actor(project.path, step) == "bdb" else f"项目建设单位 {project.org}"
    safeguards = [
        {"name": "档案验收", "ref": a.report_no, "result": _passed(a.passed)}
        for a in await archives_repo.acceptances(session, project.project_id)
    ]
    safeguards += [
        {"name": KIND_ZH.get(s.kind, s.kind), "ref": s.report_no, "result": _passed(s.passed)}
        for s in await prerequisites.security(session, project.project_id)
    ]
    safeguards += [
        {"name": "保密审查", "ref": s.operator or "—", "result": _passed(s.passed)}
        for s in await prerequisites.secrecy(session, project.project_id)
    ]
    used = ["R-21.1", rules.PATH_RULE[project.path], "R-22.1", "R-7.2"] + (["R-23.1"] if project.classified else [])
    stage_name = "竣工验收（终验）" if step == "final" else "初步验收"
    context = {
        "project": docgen.project_facts(title=project.title, declaration_no=None, project_code=None, org=project.org),
        "stage_name": stage_name,
        "accepted_on": docgen.date_zh(on),
        "leader": leader,
        "path_name": rules.PATH_NAME.get(project.path, project.path),
        "preliminary_on": docgen.date_zh(project.preliminary_on),
        "trial_period": (
            f"{docgen.date_zh(project.trial_starts_on)} 至 {docgen.date_zh(project.trial_ends_on)}"
            if project.trial_starts_on
            else "—"
        ),
        "final_on": docgen.date_zh(project.final_accepted_on),
        "safeguards": safeguards or [{"name": "（无记录）", "ref": "—", "result": "—"}],
        "opinion": body.opinion or opinion or f"项目通过{stage_name}。",
    }
    document_no = body.document_no or f"验收〔{on.year}〕{str(project.project_id)[:8]}号"  # our practice
    return await docgen.generate_and_store(
        session,
        store,
        project_id=str(project.project_id),
        kind="acceptance_opinion",
        document_no=document_no,
        issuer=leader,
        rules=used,
        context=context,
        actor=principal,
        issued_on=on,
    )
