"""The Kustomize output (base and production overlay) is well-formed and complete: every Deployment
has both probes and resource limits, every Service selects a Deployment, the Ingress reaches the
gateway, every service has a migration Job and an HPA. Rendered with `kubectl kustomize` (or
`kustomize build`) when the machine has one, else with tests/deploy/kustomize_lite.py — and when
both are there, the two must agree on what is checked."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from .kustomize_lite import render as render_lite

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
SERVICES = ("reserve", "approval", "budget", "oversight", "acceptance")
TARGETS = [K8S / "base", K8S / "overlays" / "production"]


def render_binary(directory: Path) -> list[dict] | None:
    if shutil.which("kustomize"):
        cmd = ["kustomize", "build", str(directory)]
    elif shutil.which("kubectl"):
        cmd = ["kubectl", "kustomize", str(directory)]
    else:
        return None
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return [d for d in yaml.safe_load_all(result.stdout) if d]


def rendered(directory: Path) -> list[dict]:
    return render_binary(directory) or render_lite(directory)


def by_kind(docs, kind):
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


@pytest.fixture(scope="module", params=TARGETS, ids=lambda p: p.name)
def docs(request):
    return rendered(request.param)


def test_every_deployment_has_probes_and_resources(docs):
    deployments = by_kind(docs, "Deployment")
    assert set(deployments) == {*SERVICES, "gateway"}
    for name, d in deployments.items():
        spec = d["spec"]["template"]["spec"]
        assert spec["securityContext"]["runAsNonRoot"] is True
        for c in spec["containers"]:
            assert c["readinessProbe"]["httpGet"]["path"] == "/readyz", name
            assert c["livenessProbe"]["httpGet"]["path"] == "/healthz", name
            for part in ("requests", "limits"):
                assert c["resources"][part]["cpu"] and c["resources"][part]["memory"], (name, part)
            assert ":" in c["image"] and not c["image"].endswith(":latest")
            refs = {r.get("configMapRef", r.get("secretRef", {})).get("name") for r in c["envFrom"]}
            assert "govpm-config" in refs and "govpm-secrets" in refs


def test_every_service_selects_a_deployment(docs):
    pods = [d["spec"]["template"]["metadata"]["labels"] for d in by_kind(docs, "Deployment").values()]
    services = by_kind(docs, "Service")
    assert set(services) == {*SERVICES, "gateway"}
    for name, svc in services.items():
        selector = svc["spec"]["selector"]
        assert any(all(labels.get(k) == v for k, v in selector.items()) for labels in pods), name


def test_ingress_points_at_the_gateway_service(docs):
    ingresses = by_kind(docs, "Ingress")
    assert ingresses
    services = by_kind(docs, "Service")
    for ing in ingresses.values():
        for rule in ing["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                backend = path["backend"]["service"]
                assert backend["name"] == "gateway"
                ports = services["gateway"]["spec"]["ports"]
                assert any(p.get("name") == backend["port"].get("name") or p["port"] == backend["port"].get("number")
                           for p in ports)


def test_migration_job_and_hpa_per_service(docs):
    jobs = by_kind(docs, "Job")
    hpas = by_kind(docs, "HorizontalPodAutoscaler")
    for name in SERVICES:
        job = jobs[f"{name}-migrate"]
        c = job["spec"]["template"]["spec"]["containers"][0]
        assert c["command"][-2:] == ["/app/migrate.py", name]
        assert c["resources"]["limits"]
        hpa = hpas[name]
        assert hpa["spec"]["scaleTargetRef"]["name"] == name and hpa["spec"]["minReplicas"] >= 2
    assert "gateway" in hpas


def test_configmap_and_secrets_are_referenced_and_present(docs):
    config = by_kind(docs, "ConfigMap")
    secrets = by_kind(docs, "Secret")
    assert config["govpm-config"]["data"]["GOVPM_KAFKA_IDEMPOTENT"] == "true"
    assert config["govpm-config"]["data"]["GOVPM_ENV"] == "prod"
    for name in (*SERVICES, "gateway"):
        assert f"GOVPM_{name.upper()}_DATABASE_URL" in secrets[f"govpm-{name}-db"]["stringData"]
    assert "GOVPM_JWT_SECRET" in secrets["govpm-secrets"]["stringData"]
    # stored documents: an S3-compatible store, its keys in the secret (govkit.storage)
    assert config["govpm-config"]["data"]["GOVPM_STORAGE"] == "s3"
    assert config["govpm-config"]["data"]["GOVPM_S3_ENDPOINT"] and config["govpm-config"]["data"]["GOVPM_S3_BUCKET"]
    assert {"GOVPM_S3_ACCESS_KEY", "GOVPM_S3_SECRET_KEY"} <= set(secrets["govpm-secrets"]["stringData"])


def test_production_overlay_applies():
    docs = rendered(K8S / "overlays" / "production")
    assert all(d["metadata"].get("namespace") == "govpm" for d in docs if d["kind"] != "Namespace")
    deployments = by_kind(docs, "Deployment")
    assert deployments["oversight"]["spec"]["replicas"] == 3
    assert deployments["oversight"]["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"]["memory"] == "640Mi"
    assert deployments["oversight"]["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]  # merged, not replaced
    assert all(d["spec"]["template"]["spec"]["containers"][0]["image"].startswith("registry.example.gov.cn/govpm/")
               for d in deployments.values())
    assert "," in by_kind(docs, "ConfigMap")["govpm-config"]["data"]["GOVPM_KAFKA_BOOTSTRAP"]
    assert by_kind(docs, "Ingress")["gateway"]["spec"]["tls"]
    data = by_kind(docs, "ConfigMap")["govpm-config"]["data"]
    assert data["GOVPM_S3_ENDPOINT"].startswith("https://") and data["GOVPM_STORAGE"] == "s3"


@pytest.mark.parametrize("target", TARGETS, ids=lambda p: p.name)
def test_the_small_renderer_agrees_with_kustomize(target):
    binary = render_binary(target)
    if binary is None:
        pytest.skip("no kustomize/kubectl on this machine; the small renderer is the only one")
    lite = render_lite(target)
    key = lambda d: (d["kind"], d["metadata"]["name"])  # noqa: E731
    assert sorted(map(key, binary)) == sorted(map(key, lite))
    lite_by = {key(d): d for d in lite}
    for d in binary:
        assert _normalise(d) == _normalise(lite_by[key(d)]), key(d)


def _normalise(node):
    """Compare structure, ignoring the order of map keys (kustomize sorts them)."""
    if isinstance(node, dict):
        return {k: _normalise(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_normalise(v) for v in node]
    return node
