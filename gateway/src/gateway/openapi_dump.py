"""`python -m gateway.openapi_dump [FILE]`: the merged public OpenAPI document, built in-process from
every service's app (no running stack needed) — the source of the console's typed client
(`cd web && npm run gen:api`)."""

from __future__ import annotations

import importlib
import json
import logging
import sys

from govkit.settings import SERVICES

from .openapi import merge


def build() -> dict:
    logging.disable(logging.CRITICAL)
    specs = {name: importlib.import_module(f"{name}.main").create_app().openapi() for name in SERVICES}
    from .config import Settings
    from .main import create_app

    own = create_app(Settings(env="dev")).fastapi.openapi()
    return merge(specs, own)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    text = json.dumps(build(), ensure_ascii=False, indent=1, sort_keys=True)
    if argv:
        with open(argv[0], "w", encoding="utf-8") as f:
            f.write(text + "\n")
    else:
        sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
