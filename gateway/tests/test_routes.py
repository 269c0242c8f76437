from gateway.routes import public_prefix, resolve


def test_service_paths_go_to_their_service():
    assert resolve("/api/v1/reserve/windows") == ("reserve", "/windows")
    assert resolve("/api/v1/budget/projects/p1/ledger") == ("budget", "/projects/p1/ledger")


def test_whole_project_views_go_to_oversight():
    assert resolve("/api/v1/projects") == ("oversight", "/projects")
    assert resolve("/api/v1/projects/p1/timeline") == ("oversight", "/projects/p1/timeline")
    assert resolve("/api/v1/projects:rebuild") == ("oversight", "/projects:rebuild")
    assert public_prefix("oversight", "/projects:rebuild") == "/api/v1/projects:rebuild"


def test_other_paths_are_not_proxied():
    assert resolve("/api/v1/webhooks/subscriptions") is None
    assert resolve("/api/v1/projectsx") is None
    assert resolve("/healthz") is None


def test_uploads_and_excel_imports_have_the_upload_body_limit():
    from gateway.routes import is_upload

    assert is_upload("POST", "/api/v1/approval/projects/x/documents")
    assert is_upload("POST", "/api/v1/approval/registry/systems:import")
    assert is_upload("POST", "/api/v1/approval/catalogs/items:import")
    assert not is_upload("POST", "/api/v1/approval/registry/systems:bulk")
    assert not is_upload("GET", "/api/v1/approval/registry/systems:import")


def test_documents_are_public_under_each_service():
    assert (
        public_prefix("oversight", "/projects/{project_id}/documents")
        == "/api/v1/oversight/projects/{project_id}/documents"
    )
    assert resolve("/api/v1/oversight/projects/p/documents") == ("oversight", "/projects/p/documents")
    assert (
        public_prefix("budget", "/projects/{project_id}/documents") == "/api/v1/budget/projects/{project_id}/documents"
    )
    assert public_prefix("oversight", "/projects/{project_id}") == "/api/v1/projects/{project_id}"


def test_oversight_own_operations_are_documented_under_oversight():
    """shared/API.md: /api/v1/projects… only for the whole-project views."""
    assert public_prefix("oversight", "/projects") == "/api/v1/projects"
    assert public_prefix("oversight", "/projects/{project_id}/timeline") == "/api/v1/projects/{project_id}/timeline"
    for own in ("construction", "progress-reports", "incidents", "rectifications", "sanctions", "resume", "findings"):
        path = f"/projects/{{project_id}}/{own}"
        assert public_prefix("oversight", path) == f"/api/v1/oversight{path}"
        assert resolve(f"/api/v1/oversight/projects/p/{own}") == ("oversight", f"/projects/p/{own}")
        assert resolve(f"/api/v1/projects/p/{own}") == ("oversight", f"/projects/p/{own}")  # still routed
