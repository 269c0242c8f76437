"""Adapter to the provincial online approval platform (江苏省投资项目在线审批监管平台, R-13.1).
We ask for a project code; the platform answers later on the signed callback."""

from __future__ import annotations

import httpx


class ProvincialPlatform:
    def __init__(self, base_url: str, timeout_s: float = 5.0, transport: httpx.AsyncBaseTransport | None = None):
        self.client = httpx.AsyncClient(base_url=base_url.rstrip("/"), timeout=timeout_s, transport=transport)

    async def request_code(self, request: dict) -> str | None:
        """POST /project-codes; 2xx means accepted (the code comes by callback). Returns the
        platform's request reference, if any. Raises on transport errors and non-2xx answers."""
        resp = await self.client.post("/project-codes", json=request)
        resp.raise_for_status()
        try:
            return (resp.json() or {}).get("request_id")
        except ValueError:
            return None

    async def aclose(self) -> None:
        await self.client.aclose()
