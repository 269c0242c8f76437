from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class RebuildJobOut(BaseModel):
    """重建任务：状态、进度（已重放的事件数，按来源服务）与结果。"""

    id: uuid.UUID
    status: Literal["queued", "running", "done", "failed"]
    requested_by: str
    requested_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    events: int = Field(description="已重放的事件数（运行中为当前进度）")
    projects: int = Field(description="重建后的项目数（完成后）")
    sources: dict[str, int] = Field(description="按来源服务统计的已重放事件数")
    error: str | None = None
