from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from govkit.money import Money

from ..declarations.schemas import Flag


class LibraryEntry(BaseModel):
    project_id: str
    declaration_no: str
    title: str
    org: str
    participant_orgs: list[str]
    category: str
    estimated_investment: Money
    route: str
    admitted_on: date | None
    admitted_by: str | None  # compile | supplement | special_addition
    jurisdiction: str = "city"
    plan_item: str | None = None  # the overall plan's item it serves
    flags: list[Flag] = []


class SupplementRead(BaseModel):
    """A half-yearly supplement (R-9.1): the declarations bdb put to the three bureaus' consultation."""

    id: str
    supplemented_on: date
    supplemented_by: str
    project_ids: list[str]


class LibraryRead(BaseModel):
    library_year: int
    status: str  # not_compiled | compiled | filed
    compiled_on: date | None = None
    compiled_by: str | None = None
    compile_count: int = 0
    filed_on: date | None = None
    filed_by: str | None = None
    filed_with: str = "leading_group"
    project_count: int
    total_investment: Money
    items: list[LibraryEntry]
    splitting_flags: list[Flag] = []
    pending_submitted: int = 0  # submitted declarations not yet in the library
    supplements: list[SupplementRead] = []
    version: int = 0
