from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class ProjectCodeCallback(BaseModel):
    model_config = ConfigDict(extra="ignore")
    project_id: UUID
    project_code: str = Field(min_length=1, max_length=40)
