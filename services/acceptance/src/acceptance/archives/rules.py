"""R-22.1 / R-22.2: what the archives acceptance examines in a project's archive package.

The package must hold every document of the project's life (R-22.2). The kinds whose absence
refuses a passed archives acceptance are those a rule of the measures requires the project to
have produced before its acceptance (our reading, `"basis": "practice"`): the R-10.1 materials
(项目建议书, 可行性研究报告, 初步设计方案), bdb's technical review opinion and the approval document
(R-10.1), the procurement contract (R-26.1), the network security test and the risk assessment, and
the cryptography assessment where the system uses cryptography (R-7.2). Acceptance records, reports
and other documents are archived when present but not demanded: the final acceptance comes after
the archives acceptance (R-22.1)."""

from __future__ import annotations

from collections.abc import Iterable

from govkit.documents.kinds import label
from govkit.rules import Decision

MANDATORY: tuple[tuple[str, str], ...] = (
    ("proposal", "R-10.1"),
    ("feasibility_study", "R-10.1"),
    ("preliminary_design", "R-10.1"),
    ("technical_opinion", "R-10.1"),
    ("approval_document", "R-10.1"),
    ("contract", "R-26.1"),
    ("security_test", "R-7.2"),
    ("risk_assessment", "R-7.2"),
)
CRYPTO = ("crypto_assessment", "R-7.2")


def mandatory_kinds(uses_cryptography: bool | None) -> list[tuple[str, str]]:
    return [*MANDATORY, *([CRYPTO] if uses_cryptography else [])]


def missing_kinds(present: Iterable[str], uses_cryptography: bool | None) -> list[Decision]:
    """R-22.2: one failed decision per mandatory kind absent from the package, citing the rule
    that requires that document."""
    have = set(present)
    return [
        Decision(
            rule,
            "fail",
            f"电子档案缺少{label(kind)}（{kind}），依据该条须形成此文件（第二十二条）",
            {"kind": kind, "required_by": rule, "basis": "practice"},
        )
        for kind, rule in mandatory_kinds(uses_cryptography)
        if kind not in have
    ]


def may_record(roles: Iterable[str]) -> bool:
    """R-22.1: the archives acceptance is recorded by the examining body (bdb or the archives
    authority), never by the unit itself."""
    return bool({"bdb", "archives"} & set(roles))
