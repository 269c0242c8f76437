"""A small Kustomize renderer for CI machines without `kubectl kustomize`/`kustomize`: resources
(files and directories with a kustomization), namespace, images and patches (strategic merge for
the fields GovPM's overlays use: containers/env/volumes/ports lists merged by key, maps merged,
other lists replaced). Not a general implementation — only what deploy/k8s uses."""
from __future__ import annotations

import copy
from pathlib import Path

import yaml

MERGE_KEYS = {"containers": "name", "initContainers": "name", "env": "name", "volumes": "name",
              "volumeMounts": "mountPath", "ports": "containerPort", "envFrom": None, "imagePullSecrets": "name"}
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume", "StorageClass"}


def _load_all(path: Path) -> list[dict]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d]


def _merge(base, patch, key: str | None = None):
    if isinstance(base, dict) and isinstance(patch, dict):
        out = dict(base)
        for k, v in patch.items():
            if v is None:
                out.pop(k, None)
            elif k in out:
                out[k] = _merge(out[k], v, k)
            else:
                out[k] = copy.deepcopy(v)
        return out
    if isinstance(base, list) and isinstance(patch, list) and MERGE_KEYS.get(key):
        mk = MERGE_KEYS[key]
        out = [copy.deepcopy(x) for x in base]
        for item in patch:
            idx = next((i for i, x in enumerate(out) if isinstance(x, dict) and x.get(mk) == item.get(mk)), None)
            if idx is None:
                out.append(copy.deepcopy(item))
            else:
                out[idx] = _merge(out[idx], item)
        return out
    return copy.deepcopy(patch)


def _set_images(node, images: list[dict]):
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("containers", "initContainers") and isinstance(v, list):
                for c in v:
                    name, _, tag = c.get("image", "").partition(":")
                    for img in images:
                        if img["name"] == name:
                            c["image"] = f"{img.get('newName', name)}:{img.get('newTag', tag)}"
            else:
                _set_images(v, images)
    elif isinstance(node, list):
        for v in node:
            _set_images(v, images)


def render(directory: Path) -> list[dict]:
    kfile = directory / "kustomization.yaml"
    k = yaml.safe_load(kfile.read_text())
    docs: list[dict] = []
    for res in k.get("resources", []):
        path = (directory / res).resolve()
        docs.extend(render(path) if path.is_dir() else _load_all(path))
    for p in k.get("patches", []) + [{"path": x} for x in k.get("patchesStrategicMerge", [])]:
        for patch in _load_all(directory / p["path"]):
            idx = next((i for i, d in enumerate(docs) if d["kind"] == patch["kind"]
                        and d["metadata"]["name"] == patch["metadata"]["name"]), None)
            if idx is None:
                raise ValueError(f"patch target not found: {patch['kind']}/{patch['metadata']['name']}")
            docs[idx] = _merge(docs[idx], patch)
    if k.get("images"):
        for d in docs:
            _set_images(d, k["images"])
    if k.get("namespace"):
        for d in docs:
            if d["kind"] not in CLUSTER_SCOPED:
                d["metadata"]["namespace"] = k["namespace"]
    return docs
