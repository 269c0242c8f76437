"""Where each public path goes: /api/v1/<service>/… → that service; /api/v1/projects… → oversight."""

from __future__ import annotations

import re

from govkit.settings import SERVICES

PREFIX = "/api/v1/"
# Paths that outside systems call without a JWT: they carry their own signature (HMAC), checked
# by the service that owns them.
UNAUTHENTICATED = ("/api/v1/approval/callbacks/",)


def resolve(path: str) -> tuple[str, str] | None:
    """'/api/v1/reserve/windows' → ('reserve', '/windows'); '/api/v1/projects/x' → ('oversight', '/projects/x')."""
    if not path.startswith(PREFIX):
        return None
    rest = path[len(PREFIX) :]
    head, sep, tail = rest.partition("/")
    if head in SERVICES:
        if tail.startswith("internal/"):  # service-to-service endpoints are never public
            return None
        return head, "/" + tail
    if head == "projects" or head.startswith("projects:"):  # /projects, /projects/…, /projects:rebuild
        return "oversight", "/" + rest
    if head == "policies":  # the policy store, kept by reserve
        return "reserve", "/" + rest
    return None


def is_upload(method: str, path: str) -> bool:
    """A document upload or an Excel import (multipart, streamed): its own body limit
    (`max_upload_bytes`); the service checks each kind's own limit (an import: 10 MB)."""
    return method == "POST" and path.endswith(("/documents", ":import")) and path.startswith(PREFIX)


# The whole-project views (the list, one project, its timeline, the rebuild); oversight's own operations
# on a project (construction, progress reports, incidents, rectifications, sanctions…) are documented
# under /api/v1/oversight/projects/… as shared/API.md lists them (both forms are routed to oversight).
WHOLE_PROJECT_VIEWS = re.compile(r"^/projects(:rebuild|/\{[a-z_]+\}(/timeline)?)?$")


def public_prefix(service: str, service_path: str) -> str:
    """The public path of a service path (for the merged OpenAPI)."""
    if service_path.endswith("/documents"):  # every service's documents: /api/v1/<service>/projects/{id}/documents
        return f"/api/v1/{service}{service_path}"
    if service == "oversight" and WHOLE_PROJECT_VIEWS.match(service_path):
        return "/api/v1" + service_path  # shared/API.md: only the whole-project views live at /api/v1/projects
    if service == "reserve" and (service_path == "/policies" or service_path.startswith("/policies/")):
        return "/api/v1" + service_path
    return f"/api/v1/{service}{service_path}"
