from __future__ import annotations

from datetime import date, datetime

from ..schemas_common import Out


class OperationFundingRead(Out):
    project_id: str
    year: int
    decision: str
    rating: str
    source: str
    evaluated_on: date
    basis: str
    rule: str
    article: str
    decided_at: datetime
    org: str | None
    title: str | None
    project_code: str | None


class OperationFundingList(Out):
    items: list[OperationFundingRead]
    next_cursor: str | None
