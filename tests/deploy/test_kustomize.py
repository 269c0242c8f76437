"""The Kustomize output (base and production overlay) is well-formed and complete: rendered with
`kubectl kustomize` (or `kustomize build`; scripts/system-deps.sh installs kubectl) and validated
against the Kubernetes schemas by `kubernetes-validate` (offline: the schemas ship in the package).
Every Deployment has both probes and resource limits, every Service selects a Deployment, the
Ingress reaches the gateway, every service and the gateway has a migration Job (restricted pod
security) and an HPA, NetworkPolicies and PodDisruptionBudgets are in place."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
SERVICES = ("reserve", "approval", "budget", "oversight", "acceptance")
TARGETS = [K8S / "base", K8S / "overlays" / "production"]


K8S_VERSION = "1.32.0"  # the cluster version the manifests are validated against


def render_text(directory: Path) -> str:
    if shutil.which("kustomize"):
        cmd = ["kustomize", "build", str(directory)]
    elif shutil.which("kubectl"):
        cmd = ["kubectl", "kustomize", str(directory)]
    else:
        raise AssertionError("neither kubectl nor kustomize is installed (scripts/system-deps.sh installs kubectl)")
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def rendered(directory: Path) -> list[dict]:
    return [d for d in yaml.safe_load_all(render_text(directory)) if d]


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
                assert any(
                    p.get("name") == backend["port"].get("name") or p["port"] == backend["port"].get("number")
                    for p in ports
                )


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
    assert (
        deployments["oversight"]["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"]["memory"]
        == "640Mi"
    )
    assert deployments["oversight"]["spec"]["template"]["spec"]["containers"][0][
        "readinessProbe"
    ]  # merged, not replaced
    assert all(
        d["spec"]["template"]["spec"]["containers"][0]["image"].startswith("registry.example.gov.cn/govpm/")
        for d in deployments.values()
    )
    assert "," in by_kind(docs, "ConfigMap")["govpm-config"]["data"]["GOVPM_KAFKA_BOOTSTRAP"]
    assert by_kind(docs, "Ingress")["gateway"]["spec"]["tls"]
    data = by_kind(docs, "ConfigMap")["govpm-config"]["data"]
    assert data["GOVPM_S3_ENDPOINT"].startswith("https://") and data["GOVPM_STORAGE"] == "s3"


@pytest.mark.parametrize("target", TARGETS, ids=lambda p: p.name)
def test_rendered_manifests_validate_against_the_kubernetes_schemas(target, tmp_path):
    """Strict: an unknown field (a typo such as `seccompProfil`) fails as well as a wrong type."""
    out = tmp_path / "rendered.yaml"
    out.write_text(render_text(target))
    import sys

    cli = Path(sys.executable).parent / "kubernetes-validate"
    result = subprocess.run(
        [str(cli), "-k", K8S_VERSION, "--strict", "--quiet", str(out)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_validator_catches_a_bad_manifest(tmp_path):
    import sys

    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "apiVersion: batch/v1\nkind: Job\nmetadata: {name: x}\nspec:\n  template:\n    spec:\n"
        "      securityContext: {seccompProfil: {type: RuntimeDefault}}\n"
        "      containers: [{name: m, image: i}]\n      restartPolicy: Never\n"
    )
    cli = Path(sys.executable).parent / "kubernetes-validate"
    result = subprocess.run(
        [str(cli), "-k", K8S_VERSION, "--strict", "--quiet", str(bad)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0


def _restricted(pod_spec: dict, name: str) -> None:
    """What the `restricted` Pod Security Standard demands of a pod (the namespace enforces it)."""
    sc = pod_spec.get("securityContext", {})
    assert sc.get("runAsNonRoot") is True, name
    assert sc.get("seccompProfile", {}).get("type") in ("RuntimeDefault", "Localhost"), name
    for c in pod_spec["containers"]:
        csc = c.get("securityContext", {})
        assert csc.get("allowPrivilegeEscalation") is False, (name, c["name"])
        assert csc.get("capabilities", {}).get("drop") == ["ALL"], (name, c["name"])


def test_every_pod_passes_the_restricted_pod_security_standard(docs):
    for kind in ("Deployment", "Job"):
        for name, d in by_kind(docs, kind).items():
            _restricted(d["spec"]["template"]["spec"], f"{kind}/{name}")


def test_the_gateway_has_its_migration_job_and_replicas_do_not_migrate(docs):
    job = by_kind(docs, "Job")["gateway-migrate"]
    c = job["spec"]["template"]["spec"]["containers"][0]
    assert c["command"][-2:] == ["/app/migrate.py", "gateway"]
    assert {r.get("secretRef", {}).get("name") for r in c["envFrom"]} >= {"govpm-gateway-db"}
    assert by_kind(docs, "ConfigMap")["govpm-config"]["data"]["GOVPM_MIGRATE_ON_START"] == "false"
    assert "COPY deploy/migrate.py /app/migrate.py" in (ROOT / "gateway" / "Dockerfile").read_text()


def test_network_policies_admit_only_the_intended_callers(docs):
    policies = by_kind(docs, "NetworkPolicy")
    deny = policies["default-deny-ingress"]["spec"]
    assert deny["podSelector"] == {} and deny["policyTypes"] == ["Ingress"] and not deny.get("ingress")
    gw = policies["gateway-from-ingress"]["spec"]
    assert gw["podSelector"]["matchLabels"] == {"app.kubernetes.io/name": "gateway"}
    sources = [
        f.get("namespaceSelector", {}).get("matchLabels", {}).get("kubernetes.io/metadata.name")
        for f in gw["ingress"][0]["from"]
    ]
    assert "ingress-nginx" in sources and not any("podSelector" in f for f in gw["ingress"][0]["from"])
    deployments = by_kind(docs, "Deployment")
    for name in SERVICES:
        spec = policies[f"{name}-from-gateway-and-services"]["spec"]
        assert spec["podSelector"]["matchLabels"] == {"app.kubernetes.io/name": name}
        allowed = spec["ingress"][0]["from"][0]["podSelector"]["matchExpressions"][0]["values"]
        assert set(allowed) == {"gateway", *SERVICES}
        port = deployments[name]["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"]
        assert spec["ingress"][0]["ports"] == [{"protocol": "TCP", "port": port}]


def test_a_pod_disruption_budget_per_deployment(docs):
    pdbs = by_kind(docs, "PodDisruptionBudget")
    hpas = by_kind(docs, "HorizontalPodAutoscaler")
    for name in (*SERVICES, "gateway"):
        pdb = pdbs[name]["spec"]
        assert pdb["selector"]["matchLabels"] == {"app.kubernetes.io/name": name}
        assert pdb["minAvailable"] < hpas[name]["spec"]["minReplicas"]  # a drain can always proceed


def test_topic_replication_is_configured_per_cluster():
    base = by_kind(rendered(K8S / "base"), "ConfigMap")["govpm-config"]["data"]
    prod = by_kind(rendered(K8S / "overlays" / "production"), "ConfigMap")["govpm-config"]["data"]
    assert (base["GOVPM_KAFKA_REPLICATION_FACTOR"], base["GOVPM_KAFKA_MIN_INSYNC_REPLICAS"]) == ("1", "1")
    assert (prod["GOVPM_KAFKA_REPLICATION_FACTOR"], prod["GOVPM_KAFKA_MIN_INSYNC_REPLICAS"]) == ("3", "2")
    assert len(prod["GOVPM_KAFKA_BOOTSTRAP"].split(",")) == 3
