"""Events published by the reserve service (topic govpm.reserve).

Consumers:
- approval opens the application on `ProjectAdmittedToReserve` and `EmergencyProjectRegistered` (R-9.4);
- oversight builds its whole-project view from `ProjectDeclared` (org, title, library_year) and the rest.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel

from ..money import Money
from ._documents import DocumentStoredData
from ._registry import EventData, event_type

R = event_type("reserve")

Route = Literal["window", "special_addition", "emergency"]
EmergencyType = Literal["natural_disaster", "accident_disaster", "public_health", "social_security"]
Bureau = Literal["bdb", "finance", "approval_bureau"]


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
    route: Route
    # Convenience copy of cross_department.participant_orgs (empty when not cross-department).
    participant_orgs: list[str] = []
    # the declaration belongs to a group that looks like a split below a threshold.
    splitting_suspected: bool = False
    emergency_type: EmergencyType | None = None
    emergency_grounds: str | None = None
    # the approved overall plan's item the project serves (optional)
    plan_item: str | None = None
    plan_version_id: str | None = None


@R
class ProjectDeclared(ProjectFacts):
    """Every new declaration (any route), when its project_id is made. `status` is where it starts:
    draft | submitted | awaiting_consultation | emergency."""

    status: str
    window_id: str | None = None


@R
class DeclarationSubmitted(EventData):
    """A draft submitted into an open window (R-8.1 / R-9.1)."""

    declaration_no: str
    library_year: int
    window_id: str
    window_kind: Literal["annual", "supplement"]
    submitted_on: date


@R
class DeclarationRefused(EventData):
    """Left out of the library: by bdb (a submitted declaration) or by a bureau's refusal of a
    special addition (R-9.2)."""

    declaration_no: str
    library_year: int
    org: str
    reason: str
    refused_by: str
    rule: str = "R-8.1"


@R
class DeclarationWithdrawn(EventData):
    declaration_no: str
    library_year: int
    org: str
    reason: str = ""


@R
class SpecialAdditionRequested(EventData):
    """R-9.2: awaits bdb, finance and approval_bureau. `kind` "supplement": a supplement window's
    declaration put to the same consultation (R-9.1 — never admitted on bdb's word alone)."""

    declaration_no: str
    library_year: int
    org: str
    reason: str
    requested_on: date
    kind: Literal["special_addition", "supplement"] = "special_addition"


@R
class SpecialAdditionDecided(EventData):
    """One bureau's decision; `outcome` is the request's state after it (pending | admitted | refused)."""

    declaration_no: str
    bureau: Bureau
    decision: Literal["agree", "refuse"]
    opinion: str
    outcome: Literal["pending", "admitted", "refused"]
    awaiting: list[str] = []


@R
class ProjectAdmittedToReserve(ProjectFacts):
    """Admitted into the library (annual compile, supplement, or agreed special addition).
    Approval opens the application (R-9.4)."""

    admitted_on: date


@R
class EmergencyProjectRegistered(ProjectFacts):
    """R-9.3: skips the library and may enter review at once. route == "emergency"."""


@R
class WindowOpened(EventData):
    window_id: str
    kind: Literal["annual", "supplement"]
    library_year: int
    opens_on: date
    closes_on: date
    jurisdiction: str = "city"


@R
class LibraryCompiled(EventData):
    library_year: int
    compiled_on: date
    admitted_now: list[str] = []  # project ids admitted by this compilation
    project_count: int = 0  # all projects in the library after it
    total_investment: Money = Decimal("0.00")
    splitting_groups: int = 0
    jurisdiction: str = "city"


@R
class LibraryFiled(EventData):
    """R-8.2: filed with the leading group; afterwards it changes only through R-9.*."""

    library_year: int
    filed_on: date
    project_ids: list[str] = []
    total_investment: Money = Decimal("0.00")
    jurisdiction: str = "city"


@R
class SupplementConsultationOpened(EventData):
    """R-9.1: bdb puts a supplement window's submitted declarations to the three bureaus'
    consultation (R-9.2); each then enters the library only when all three agree."""

    library_year: int
    opened_on: date
    project_ids: list[str] = []
    jurisdiction: str = "city"


@R
class LibrarySupplemented(EventData):
    """R-9.1: a supplement window's declaration admitted into a filed library (after the three
    bureaus agreed, R-9.2)."""

    library_year: int
    supplemented_on: date
    admitted_now: list[str] = []
    jurisdiction: str = "city"


@R
class ReserveDocumentStored(DocumentStoredData):
    """A document stored by the reserve service (govkit.documents; collected for the archive, R-22.2)."""


@R
class PolicyVersionAdded(EventData):
    """R-31.1 / R-33.1: a policy version added through the API (a county's own measure, or a later
    city version) — complete parameters, never edited in place. Every service keeps it in its local
    `policy_versions` table (`govkit.policy_store`) and judges by it from `effective_from` on."""

    policy_id: str
    jurisdiction: str
    code: str
    title: str = ""
    effective_from: date
    parameters: dict
    added_on: date


@R
class PlanVersionDrafted(EventData):
    """R-4.1: bdb drafts a version of the overall plan (总体规划) for the leading group."""

    plan_id: str
    jurisdiction: str = "city"
    version_no: int
    title: str
    period_from: int
    period_to: int
    item_codes: list[str] = []


@R
class PlanVersionDecided(EventData):
    """R-4.1: the leading group approves (审定) or rejects a plan version; an approved version
    supersedes the one before it (`superseded_plan_id`)."""

    plan_id: str
    jurisdiction: str = "city"
    version_no: int
    decision: Literal["approve", "reject"]
    opinion: str
    decided_on: date
    superseded_plan_id: str | None = None


@R
class OrgJurisdictionSet(EventData):
    """R-31.1: the org registry records the jurisdiction a unit belongs to (its later declarations
    are judged by that jurisdiction's policy)."""

    org: str
    jurisdiction: str
    name: str = ""
