"""Checks of a generated PDF for the tests: its text is there (pdftotext), the CJK fonts are embedded
(pdffonts), its properties carry the document number and the rules (pdfinfo), and its first page
rendered to PNG (pdftoppm) is kept under `artifacts/documents/` (GOVPM_ARTIFACTS_DIR) to be looked at."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[5]


def artifacts_dir() -> Path:
    d = Path(os.environ.get("GOVPM_ARTIFACTS_DIR", ROOT / "artifacts")) / "documents"
    d.mkdir(parents=True, exist_ok=True)
    return d


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def check_pdf(pdf: bytes, expected: list[str], name: str) -> str:
    """Assert every expected string is in the PDF's text (whitespace ignored: lines wrap anywhere in
    Chinese), that CJK fonts are embedded and that the properties carry the rules; keep page 1 as
    `<name>.png`. Returns the text."""
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "doc.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "70",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(path),
                str(artifacts_dir() / name),
            ],
            check=True,
        )
    flat = _squash(text)
    missing = [e for e in expected if _squash(e) not in flat]
    assert not missing, f"not in the PDF's text: {missing}\n{text[:2000]}"
    cjk = [ln for ln in fonts.splitlines() if "CJK" in ln]
    assert cjk and all(" yes " in ln for ln in cjk), f"CJK fonts not embedded:\n{fonts}"
    assert "Keywords:" in info and "R-" in info, f"the PDF's properties carry no rules:\n{info}"
    return text
