"""govkit.docgen: the Word templates fill (values escaped), the files carry the document number and
the rules, money in figures and capitals, dates as on official documents; no LibreOffice → 503."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import docx
import pytest

from govkit import docgen
from govkit.errors import Problem


def test_every_kind_has_its_template_and_a_known_document_kind():
    from govkit.documents.kinds import KINDS as STORED

    for kind in docgen.KINDS.values():
        assert (docgen.TEMPLATES / kind.template).exists()
        assert kind.document_kind in STORED


def test_render_fills_escapes_and_carries_number_and_rules():
    context = {
        "document_no": "盐数审〔2027〕1号",
        "issuer": "盐城市大数据管理局",
        "issued_on": "2027年1月2日",
        "generated_at": "2027-01-02 09:00",
        "basis": docgen.basis("R-10.1", "R-11.1", "R-10.1"),
        "project": docgen.project_facts(
            title="<甲&乙>系统", declaration_no="SB-2027-0001", project_code=None, org="ORG-A"
        ),
        "estimated_investment": docgen.yuan(Decimal("1234567.8")),
        "materials": "项目建议书",
        "checks": [],
        "reviews": [],
        "opinion": "同意",
    }
    word = docx.Document(io.BytesIO(docgen.render_docx("technical_opinion", context)))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "关于<甲&乙>系统的技术审核意见" in text and "盐数审〔2027〕1号" in text
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    assert "1,234,567.80" in cells and "（待赋码）" in cells and "R-11.1" in cells and "第十一条" in cells
    props = word.core_properties
    assert props.identifier == "盐数审〔2027〕1号" and props.keywords == "R-10.1 第十条; R-11.1 第十一条"


def test_figures_capitals_and_dates():
    assert docgen.yuan(Decimal("2000000")) == "2,000,000.00" and docgen.yuan(None) == "—"
    assert docgen.yuan_words(Decimal("2000000.00")) == "贰佰万元整"
    assert docgen.date_zh(date(2027, 3, 5)) == "2027年3月5日"
    assert docgen.date_zh(datetime(2027, 3, 4, 17, 0, tzinfo=UTC)) == "2027年3月5日"  # Asia/Shanghai
    assert [b["rule"] for b in docgen.basis("X-10.3")] == ["X-10.3"] and docgen.basis("X-10.3")[0][
        "basis"
    ] == "practice"


async def test_without_libreoffice_the_pdf_is_a_503(monkeypatch):
    monkeypatch.setenv("GOVPM_SOFFICE", "/nonexistent/soffice")
    with pytest.raises(Problem) as e:
        await docgen.to_pdf(b"PK")
    assert e.value.status == 503 and "LibreOffice" in e.value.detail
