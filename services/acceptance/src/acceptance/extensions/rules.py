"""R-21.5: a unit that cannot accept on time applies to bdb for an extension."""

from __future__ import annotations

from datetime import date

from govkit.rules import Decision


def check_request(
    *, stage: str, current_due: date | None, new_date: date, today: date, has_pending: bool
) -> list[Decision]:
    out = []
    if stage == "final_accepted":
        out.append(Decision("R-21.5", "fail", "项目已通过竣工验收，无需申请延期（第二十一条）"))
    if has_pending:
        out.append(Decision("R-21.5", "fail", "已有待市大数据管理局决定的延期申请（第二十一条）"))
    if current_due is not None and new_date <= current_due:
        out.append(
            Decision("R-21.5", "fail", f"延期后的验收日期须晚于当前验收期限{current_due.isoformat()}（第二十一条）")
        )
    if new_date < today:
        out.append(Decision("R-21.5", "fail", "延期后的验收日期不能早于今天（第二十一条）"))
    return out
