"""What the gateway keeps for the portals."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from govkit.db import Base


class PublicProject(Base):
    """Projects that serve the public (ProjectApproved with serves_public): their status goes to 苏服办."""

    __tablename__ = "public_projects"

    project_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    title: Mapped[str] = mapped_column(String(500), default="")
    org: Mapped[str] = mapped_column(String(80), default="")
    project_code: Mapped[str | None] = mapped_column(String(80))
