"""The automated checks and prerequisites of review and approval as pure functions.
Each returns `Decision`s citing its rule id; thresholds come from the policy (never literals)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from govkit.policy import Policy
from govkit.rules import Decision, violation

from .similarity import jaccard, profile, similar

# the materials as a rule: the security-and-reliability statement.
REQUIRED_MATERIALS = {
    "proposal": "项目建议书",
    "feasibility_study": "可行性研究报告",
    "preliminary_design": "初步设计方案（含投资概算）",
}
SECURITY_STATEMENT = "security_statement"
# the approvals asked for only with new civil works or high energy use.
CIVIL_WORKS_APPROVALS = {
    "site_selection": "选址意见",
    "land_prereview": "用地预审",
    "environmental_impact": "环境影响评价",
}
HIGH_ENERGY_APPROVALS = {"energy_review": "节能审查", "environmental_impact": "环境影响评价"}
MATERIAL_KINDS = (
    "proposal",
    "feasibility_study",
    "preliminary_design",
    "security_statement",
    "energy_review",
    "site_selection",
    "land_prereview",
    "environmental_impact",
    "other",
)

# audience → the entrance its functions connect to.
ENTRANCES = {
    "public": ("susufuban", "苏服办"),
    "enterprise": ("yanqitong", "盐企通"),
    "citizen": ("my_yancheng", "我的盐城App"),
    "office": ("yanzhengtong", "盐政通"),
}
ENTRANCE_CODES = tuple(code for code, _ in ENTRANCES.values())

# sources meaning "obtained through sharing and exchange", not collected again.
SHARED_SOURCES = ("shared", "sharing", "exchange", "catalog")

# Our practice parameters: scores are similarity, not policy amounts.
DUPLICATE_FLAG_SCORE = 0.35  # overlap shown as a flag from this score
DUPLICATE_SHOW_SCORE = 0.15  # overlaps listed at all
DATA_ITEM_MATCH = 0.8  # a data item and a catalog entry are the same item
CONTENT_OVERLAP = 0.6  # R-12.1: two departments' construction contents overlap

# Checks whose failure refuses the submission (a required material or declaration is missing,
# or the rule says "refused"). Other failures are recorded and shown to the reviewers.
BLOCKING_RULES = frozenset({"R-7.1", "R-10.1", "R-10.2", "R-10.6", "R-12.1", "R-14.1"})


@dataclass(frozen=True)
class Candidate:
    """Something a new application may duplicate (X-10.3): an existing system, a project approved
    and still being built, or another pending application."""

    kind: str  # registry | project (approved, under construction) | application (pending)
    id: str
    org: str
    name: str
    functions: Sequence[str] = ()
    data_items: Sequence[str] = ()
    is_platform: bool = False


@dataclass(frozen=True)
class CatalogEntry:
    id: str
    org: str
    name: str
    share_type: str  # unconditional | conditional | not_shared


@dataclass(frozen=True)
class Subject:
    """The application under check."""

    project_id: str
    org: str
    title: str
    classified: bool = False
    new_civil_works: bool = False
    high_energy: bool = False
    participant_orgs: Sequence[str] = ()
    compliance: Mapping = field(default_factory=dict)
    material_kinds: frozenset[str] = frozenset()

    @property
    def function_names(self) -> list[str]:
        return [f.get("name", "") for f in self.compliance.get("functions") or []]

    @property
    def data_item_names(self) -> list[str]:
        return [d.get("name", "") for d in self.compliance.get("data_items") or []]


def wan(amount: Decimal) -> str:
    """2000000.00 → '200万元' (for messages)."""
    return f"{(amount / 10000).normalize():f}万元"


# -- thresholds -------------------------------------------------------------------------------


def estimate_review_required(amount: Decimal, policy: Policy) -> bool:
    """R-25.1: 500,000 元 or more (inclusive) needs finance's estimate review."""
    return amount >= policy.estimate_review_threshold


def leading_group_required(amount: Decimal, policy: Policy) -> bool:
    """R-11.2: at or above 2,000,000 元 the leading group approves first."""
    return amount >= policy.leading_group_threshold


# -- materials (R-10.1, R-7.1, R-14.1) -------------------------------------------------------


def check_materials(kinds: Iterable[str]) -> list[Decision]:
    kinds = set(kinds)
    missing = [name for kind, name in REQUIRED_MATERIALS.items() if kind not in kinds]
    out = [
        Decision("R-10.1", "fail", f"缺少申报材料：{'、'.join(missing)}（第十条）", {"missing": missing})
        if missing
        else Decision("R-10.1", "pass", "项目建议书、可行性研究报告、初步设计方案齐全（第十条）")
    ]
    if SECURITY_STATEMENT in kinds:
        out.append(Decision("R-7.1", "pass", "已提交软硬件产品安全可靠情况说明（第七条）"))
    else:
        out.append(Decision("R-7.1", "fail", "缺少软硬件产品安全可靠情况说明（第七条）"))
    return out


def check_extra_approvals(new_civil_works: bool, high_energy: bool, kinds: Iterable[str]) -> Decision:
    """R-14.1: none of these approvals unless civil works or high energy; then all are required."""
    kinds = set(kinds)
    required: dict[str, str] = {}
    if new_civil_works:
        required.update(CIVIL_WORKS_APPROVALS)
    if high_energy:
        required.update(HIGH_ENERGY_APPROVALS)
    if not required:
        return Decision(
            "R-14.1",
            "pass",
            "不涉及新建土建、非高耗能，无需办理节能审查、选址、用地预审、环评（第十四条）",
            {"required": []},
        )
    missing = [name for kind, name in required.items() if kind not in kinds]
    if missing:
        return Decision(
            "R-14.1",
            "fail",
            f"涉及新建土建或高耗能，缺少：{'、'.join(missing)}（第十四条）",
            {"required": sorted(required), "missing": missing},
        )
    return Decision(
        "R-14.1", "pass", "涉及新建土建或高耗能，相关审批材料齐全（第十四条）", {"required": sorted(required)}
    )


# -- Article 10 declarations ------------------------------------------------------------------


def check_shared_infrastructure(classified: bool, compliance: Mapping) -> Decision:
    """R-10.2: build on the shared foundations; own servers/room/network must be justified."""
    if classified:
        return Decision("R-10.2", "pass", "涉密项目，不适用共享基础设施要求（第十条）")
    if compliance.get("uses_shared_infrastructure"):
        return Decision("R-10.2", "pass", "依托政务云、信息资源中心、电子政务网络建设（第十条）")
    if (compliance.get("own_infrastructure_justification") or "").strip():
        return Decision("R-10.2", "flag", "申请自建服务器、机房或网络，已说明理由，请评审确认（第十条）")
    return Decision("R-10.2", "fail", "未依托共享基础设施且未说明自建理由（第十条）")


def check_one_platform(subject: Subject, registry: Sequence[Candidate], pending: Sequence[Candidate] = ()) -> Decision:
    """R-10.3: one department, one platform — a second platform of the same department is flagged."""
    c = subject.compliance
    own_platforms = [s for s in registry if s.org == subject.org and s.is_platform]
    existing_id = c.get("existing_platform_id")
    if existing_id:
        match = next((s for s in own_platforms if s.id == existing_id), None)
        if match is not None:
            return Decision(
                "R-10.3",
                "pass",
                f"整合接入本部门已有平台“{match.name}”（第十条）",
                {"existing_platform_id": existing_id},
            )
        return Decision(
            "R-10.3",
            "flag",
            "所称已有平台不在本部门已建系统目录中，请核实（第十条）",
            {"existing_platform_id": existing_id},
        )
    if not c.get("builds_platform"):
        return Decision("R-10.3", "pass", "不新建部门平台（第十条）")
    others = own_platforms + [a for a in pending if a.org == subject.org and a.is_platform]
    if others:
        return Decision(
            "R-10.3",
            "flag",
            f"本部门已有或在建平台：{'、'.join(o.name for o in others)}，应整合接入而非另建（一部门一平台，第十条）",
            {"platforms": [{"kind": o.kind, "id": o.id, "name": o.name} for o in others]},
        )
    return Decision("R-10.3", "pass", "本部门尚无平台，新建平台符合一部门一平台（第十条）")


def overlap_scores(subject: Subject, candidates: Sequence[Candidate]) -> list[dict]:
    """X-10.3: Jaccard of title + functions + data items against each candidate, best first."""
    mine = profile([subject.title, *subject.function_names, *subject.data_item_names])
    scores = []
    for cand in candidates:
        theirs = profile([cand.name, *cand.functions, *cand.data_items])
        score = round(jaccard(mine, theirs), 3)
        if score >= DUPLICATE_SHOW_SCORE:
            scores.append({"kind": cand.kind, "id": cand.id, "org": cand.org, "name": cand.name, "score": score})
    return sorted(scores, key=lambda s: (-s["score"], s["id"]))


def check_duplicates(subject: Subject, candidates: Sequence[Candidate]) -> Decision:
    scores = overlap_scores(subject, candidates)
    flagged = [s for s in scores if s["score"] >= DUPLICATE_FLAG_SCORE]
    if flagged:
        top = flagged[0]
        return Decision(
            "X-10.3",
            "flag",
            f"与“{top['name']}”等 {len(flagged)} 个已建系统、在建项目或在审项目内容重复度较高"
            f"（最高 {top['score']:.2f}），请评审关注重复建设（第十条）",
            {"overlaps": scores[:10]},
        )
    return Decision(
        "X-10.3", "pass", "未发现与已建系统、在建项目或在审项目明显重复（第十条）", {"overlaps": scores[:10]}
    )


def check_entrances(compliance: Mapping) -> Decision:
    """R-10.4: public-facing functions connect to the matching entrance."""
    entrances = set(compliance.get("entrances") or [])
    audiences = {f.get("audience") for f in compliance.get("functions") or [] if f.get("audience")}
    missing = [ENTRANCES[a][1] for a in sorted(audiences) if a in ENTRANCES and ENTRANCES[a][0] not in entrances]
    if missing:
        return Decision(
            "R-10.4",
            "fail",
            f"面向公众、企业、群众或办公的功能未接入对应入口：{'、'.join(missing)}（第十条）",
            {"missing": missing},
        )
    if compliance.get("serves_public") and not entrances:
        return Decision(
            "R-10.4",
            "fail",
            "面向公众服务的功能未接入苏服办、盐企通、我的盐城App或盐政通（第十条）",
            {"missing": ["entrance"]},
        )
    if not compliance.get("serves_public") and not audiences:
        return Decision("R-10.4", "pass", "无面向公众、企业、群众或办公的功能（第十条）")
    return Decision("R-10.4", "pass", "对外服务功能已接入对应入口（第十条）", {"entrances": sorted(entrances)})


def check_catalog_data(compliance: Mapping, catalog: Sequence[CatalogEntry]) -> Decision:
    """R-10.5 (with R-6.1): data available by sharing is not collected again. A planned collection
    of an item shared unconditionally fails; of an item shared on conditions is flagged."""
    unconditional, conditional = [], []
    for item in compliance.get("data_items") or []:
        source = (item.get("source") or "").strip().lower()
        if source and any(source.startswith(s) for s in SHARED_SOURCES):
            continue
        best = None
        for entry in catalog:
            if entry.share_type == "not_shared":
                continue
            score = similar(item.get("name", ""), entry.name)
            if score >= DATA_ITEM_MATCH and (best is None or score > best[0]):
                best = (score, entry)
        if best is None:
            continue
        found = {
            "data_item": item.get("name"),
            "catalog_item_id": best[1].id,
            "catalog_org": best[1].org,
            "catalog_name": best[1].name,
            "share_type": best[1].share_type,
            "score": round(best[0], 3),
        }
        (unconditional if best[1].share_type == "unconditional" else conditional).append(found)
    matches = unconditional + conditional
    if unconditional:
        names = "、".join(m["data_item"] for m in unconditional)
        return Decision(
            "R-10.5",
            "fail",
            f"拟采集的数据项可通过共享交换获取（无条件共享），不得重复采集：{names}（第十条）",
            {"matches": matches},
        )
    if conditional:
        names = "、".join(m["data_item"] for m in conditional)
        return Decision(
            "R-10.5",
            "flag",
            f"拟采集的数据项在共享目录中可有条件共享：{names}，请优先申请共享（第十条）",
            {"matches": matches},
        )
    return Decision("R-10.5", "pass", "拟采集数据项未与共享数据资源目录重复（第十条）")


def check_county_extension(compliance: Mapping) -> Decision:
    """R-10.6: a municipal platform extends to the counties, or says why not."""
    if compliance.get("county_extension"):
        return Decision("R-10.6", "pass", "市县共用，向县（市、区）延伸（第十条）")
    if (compliance.get("county_extension_reason") or "").strip():
        return Decision("R-10.6", "pass", "不向县区延伸，已说明理由（第十条）")
    return Decision("R-10.6", "fail", "未向县区延伸且未说明理由（第十条）")


def check_cross_department(subject: Subject) -> Decision:
    """R-12.1: a cross-department project's departments must not overlap in construction contents."""
    if not subject.participant_orgs:
        return Decision("R-12.1", "pass", "非跨部门项目（第十二条）")
    contents = subject.compliance.get("construction_contents") or []
    orgs = {subject.org, *subject.participant_orgs}
    declared = {c.get("org") for c in contents}
    missing = sorted(orgs - declared)
    if missing:
        return Decision(
            "R-12.1",
            "fail",
            f"跨部门项目未列明各部门建设内容：{'、'.join(missing)}（第十二条）",
            {"missing_orgs": missing},
        )
    overlaps = []
    for i, a in enumerate(contents):
        for b in contents[i + 1 :]:
            if a.get("org") == b.get("org"):
                continue
            for ia in a.get("items") or []:
                for ib in b.get("items") or []:
                    score = similar(ia, ib)
                    if score >= CONTENT_OVERLAP:
                        overlaps.append(
                            {"orgs": [a.get("org"), b.get("org")], "items": [ia, ib], "score": round(score, 3)}
                        )
    if overlaps:
        o = overlaps[0]
        return Decision(
            "R-12.1",
            "fail",
            f"牵头部门与参与部门建设内容重复交叉：“{o['items'][0]}”与“{o['items'][1]}”（第十二条）",
            {"overlaps": overlaps},
        )
    return Decision("R-12.1", "pass", "各部门建设内容无重复交叉（第十二条）")


def run_checks(
    subject: Subject,
    registry: Sequence[Candidate],
    pending: Sequence[Candidate],
    catalog: Sequence[CatalogEntry],
    building: Sequence[Candidate] = (),
) -> list[Decision]:
    """Every automated check of a submission, in article order. X-10.3 compares with the registry,
    the projects approved and still being built (`building`), and the pending applications."""
    c = subject.compliance
    return [
        *check_materials(subject.material_kinds),
        check_shared_infrastructure(subject.classified, c),
        check_one_platform(subject, registry, [*building, *pending]),
        check_duplicates(subject, [*registry, *building, *pending]),
        check_entrances(c),
        check_catalog_data(c, catalog),
        check_county_extension(c),
        check_cross_department(subject),
        check_extra_approvals(subject.new_civil_works, subject.high_energy, subject.material_kinds),
    ]


def blocking_violations(decisions: Sequence[Decision]) -> list[dict]:
    return [violation(d.rule, d.message) for d in decisions if d.result == "fail" and d.rule in BLOCKING_RULES]


# -- prerequisites of the steps ---------------------------------------------------------------


@dataclass(frozen=True)
class ReviewState:
    estimated: Decimal
    expert_reviews: int
    joint_decision: str | None
    leading_group_decision: str | None
    estimate_reviewed: bool
    reviewed: Decimal | None = None  # finance's reviewed amount
    document_amount: Decimal | None = None  # the approval document's investment, at that step

    @property
    def highest(self) -> Decimal:
        """R-11.2 / R-25.1: thresholds are judged on the highest amount the project carries at this
        step — declared estimate, reviewed estimate, the approval document's investment."""
        return max(a for a in (self.estimated, self.reviewed, self.document_amount) if a is not None)


def opinion_prerequisites(state: ReviewState, policy: Policy) -> list[dict]:
    """What the departments' opinions (technical opinion, approval document) wait for:
    expert and joint review (R-11.1); at or above the threshold (on the highest amount) the leading
    group first (R-11.2)."""
    out = []
    if state.expert_reviews < 1:
        out.append(violation("R-11.1", "尚未组织专家评审（第十一条）"))
    if state.joint_decision != "approve":
        out.append(violation("R-11.1", "联合会审尚未通过（第十一条）"))
    if leading_group_required(state.highest, policy) and state.leading_group_decision != "approve":
        out.append(
            violation(
                "R-11.2",
                f"项目金额 {state.highest} 元达到{wan(policy.leading_group_threshold)}，"
                "须先经“数字盐城”建设领导小组审定，再出具部门意见（第十一条）",
                amount=str(state.highest),
                threshold=str(policy.leading_group_threshold),
            )
        )
    return out


def leading_group_prerequisites(state: ReviewState, policy: Policy) -> list[dict]:
    if not leading_group_required(state.highest, policy):
        return [
            violation(
                "R-11.2", f"{wan(policy.leading_group_threshold)}以下项目由部门出具意见，无需领导小组审定（第十一条）"
            )
        ]
    out = []
    if state.expert_reviews < 1:
        out.append(violation("R-11.1", "尚未组织专家评审（第十一条）"))
    if state.joint_decision != "approve":
        out.append(violation("R-11.1", "联合会审尚未通过（第十一条）"))
    return out


def approval_prerequisites(state: ReviewState, policy: Policy) -> list[dict]:
    """Approval needs every opinion prerequisite and, at or above the threshold (on the highest
    amount, the document's own included), finance's estimate review first (R-25.1)."""
    out = opinion_prerequisites(state, policy)
    if estimate_review_required(state.highest, policy) and not state.estimate_reviewed:
        out.append(
            violation(
                "R-25.1",
                f"项目金额 {state.highest} 元达到{wan(policy.estimate_review_threshold)}，"
                "须先经财政局概算评审，评审金额为批复投资（第二十五条）",
                amount=str(state.highest),
                threshold=str(policy.estimate_review_threshold),
            )
        )
    return out


def document_amount_violations(state: ReviewState) -> list[dict]:
    """The approval document's investment may not exceed the reviewed amount (R-25.1: the reviewed
    amount *is* the approved investment), or, where no review applies, the declared estimate the
    approval rests on (R-10.1: 初步设计方案 with its investment estimate; our reading — a larger
    sum needs a revised declaration, basis practice)."""
    amount = state.document_amount
    if amount is None:
        return []
    if state.reviewed is not None:
        if amount != state.reviewed:
            return [
                violation(
                    "R-25.1",
                    f"批复投资须为概算评审金额 {state.reviewed} 元，不得为 {amount} 元（第二十五条）",
                    reviewed=str(state.reviewed),
                    approved=str(amount),
                )
            ]
        return []
    if amount > state.estimated:
        return [
            violation(
                "R-10.1",
                f"批复投资 {amount} 元超过申报投资概算 {state.estimated} 元，须按调整后的概算重新申报（第十条）",
                basis="practice",
                estimated=str(state.estimated),
                approved=str(amount),
            )
        ]
    return []


def redact_overlaps(details: dict, citywide: bool, own_orgs: set[str]) -> dict:
    """X-10.3: a unit does not learn about other units' pending applications or projects being built
    (never reveal they exist); the overlap and its score stay visible."""
    if citywide or "overlaps" not in details:
        return details
    hidden = {"application": "其他单位在审项目", "project": "其他单位在建项目"}
    overlaps = []
    for o in details.get("overlaps") or []:
        if o.get("kind") in hidden and o.get("org") not in own_orgs:
            o = {"kind": o.get("kind"), "id": None, "org": None, "name": hidden[o["kind"]], "score": o.get("score")}
        overlaps.append(o)
    return {**details, "overlaps": overlaps}
