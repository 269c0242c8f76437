"""Events published by the reserve service (topic govpm.reserve)."""
from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel

from ..money import Money
from ._registry import EventData, event_type

R = event_type("reserve")


class CrossDepartment(BaseModel):
    lead_org: str
    participant_orgs: list[str] = []


class ProjectFacts(EventData):
    """What later stages need to know about a declared project."""

    declaration_no: str
    title: str
    category: str
    org: str
    library_year: int
    estimated_investment: Money
    description: str = ""
    classified: bool = False
    built_by_big_data_group: bool = False
    new_civil_works: bool = False
    high_energy: bool = False
    cross_department: CrossDepartment | None = None
    declared_on: date
    jurisdiction: str = "city"
    route: Literal["window", "special_addition", "emergency"]


@R
class WindowOpened(EventData):
    window_id: str
    kind: Literal["annual", "supplement"]
    library_year: int
    opens_on: date
    closes_on: date


@R
class ProjectDeclared(ProjectFacts):
    status: str


@R
class DeclarationWithdrawn(EventData):
    reason: str | None = None


@R
class DeclarationRefused(EventData):
    reason: str


@R
class SpecialAdditionRequested(EventData):
    reason: str


@R
class SpecialAdditionDecided(EventData):
    bureau: Literal["bdb", "finance", "approval_bureau"]
    decision: Literal["agree", "refuse"]
    opinion: str
    outcome: Literal["pending", "admitted", "refused"]


@R
class ProjectAdmittedToReserve(ProjectFacts):
    """Approval opens the application on this (R-9.4)."""


@R
class EmergencyProjectRegistered(ProjectFacts):
    emergency_type: Literal["natural_disaster", "accident_disaster", "public_health", "social_security"]
    grounds: str


@R
class LibraryCompiled(EventData):
    library_year: int
    admitted: int


@R
class LibraryFiled(EventData):
    library_year: int
    filed_with: str = "leading_group"
