#!/usr/bin/env python3
"""Writes the first version of the Word templates of the generated documents
(packages/govkit/src/govkit/docgen/templates/*.docx).

The templates are the source: open them in Word or LibreOffice and edit the wording, the letterhead or
the layout — the Jinja tags (docxtpl: `{{ x }}`, `{%tr for … %}` rows, `{%p if … %}` paragraphs) are what
the services fill in. This script only made their first version (and documents what each one expects);
running it again overwrites edits made by hand.

Typesetting after GB/T 9704 (党政机关公文格式), with the CJK fonts of Debian's fonts-noto-cjk: A4,
margins 37/35/28/26 mm, the issuer's red letterhead and red rule, title in Noto Serif CJK SC bold,
body in Noto Serif CJK SC, section headings in Noto Sans CJK SC (黑体's place), page numbers
"— n —" in the footer.

    .venv/bin/python scripts/make_doc_templates.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

OUT = Path(__file__).resolve().parents[1] / "packages" / "govkit" / "src" / "govkit" / "docgen" / "templates"
SERIF, SANS = "Noto Serif CJK SC", "Noto Sans CJK SC"
RED = RGBColor(0xC0, 0x00, 0x00)


def _fonts(rpr_owner, font: str) -> None:
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")


def run(p, text: str, *, font: str = SERIF, size: float = 14, bold: bool = False, color=None):
    r = p.add_run(text)
    _fonts(r._r, font)
    r.font.size = Pt(size)
    r.font.bold = bold
    if color is not None:
        r.font.color.rgb = color
    return r


def para(doc_or_cell, text: str = "", *, align=None, indent: bool = False, space_after: float = 0, **kw):
    p = doc_or_cell.add_paragraph()
    if align is not None:
        p.alignment = align
    fmt = p.paragraph_format
    fmt.space_after = Pt(space_after)
    fmt.space_before = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(2 * kw.get("size", 14))
    if text:
        run(p, text, **kw)
    return p


def red_rule(p) -> None:
    ppr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "18"), ("w:space", "4"), ("w:color", "C00000")):
        bottom.set(qn(k), v)
    borders.append(bottom)
    ppr.append(borders)


def page_number_footer(doc) -> None:
    footer = doc.sections[0].footer
    p = footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run(p, "— ", size=12)
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    p._p.append(fld)
    run(p, " —", size=12)


def new_document(issuer: str):
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(14)
    _fonts(normal.element, SERIF)
    normal.paragraph_format.line_spacing = 1.35
    # the template's first paragraph is empty in python-docx's default document: use it for the letterhead
    first = doc.paragraphs[0] if doc.paragraphs else para(doc)
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run(first, issuer, size=26, bold=True, color=RED)
    p = para(doc, "{{ document_no }}", align=WD_ALIGN_PARAGRAPH.CENTER, size=14)
    red_rule(p)
    para(doc, "", space_after=6)
    page_number_footer(doc)
    return doc


def title(doc, text: str) -> None:
    para(doc, text, align=WD_ALIGN_PARAGRAPH.CENTER, size=20, bold=True, space_after=14)


def heading(doc, text: str) -> None:
    para(doc, text, font=SANS, size=14, bold=False, space_after=4)


def body(doc, text: str) -> None:
    para(doc, text, indent=True, space_after=4)


def _cell(cell, text: str, *, bold: bool = False, size: float = 11, align=None) -> None:
    cell.paragraphs[0].text = ""
    p = cell.paragraphs[0]
    if align is not None:
        p.alignment = align
    run(p, text, size=size, bold=bold, font=SANS if bold else SERIF)


def widths_of(table, widths: list[float]) -> None:
    """Fixed column widths (mm), in the grid (LibreOffice reads it) and in every cell (Word does)."""
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths, strict=False):
        col.set(qn("w:w"), str(int(Mm(w).twips)))
    for row in table.rows:
        for cell, w in zip(row.cells, widths, strict=False):
            cell.width = Mm(w)


def loop_table(doc, headers: list[str], loop: str, cells: list[str], widths: list[float] | None = None) -> None:
    """A table with a header row and one row repeated per item (`{%tr for … %}` … `{%tr endfor %}`)."""
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, h in enumerate(headers):
        _cell(table.rows[0].cells[i], h, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell(table.rows[1].cells[0], "{%tr for " + loop + " %}")
    for i, c in enumerate(cells):
        _cell(table.rows[2].cells[i], c)
    _cell(table.rows[3].cells[0], "{%tr endfor %}")
    widths_of(table, widths or [156 / len(headers)] * len(headers))
    para(doc, "", space_after=4)


def facts_table(doc, rows: list[tuple[str, str]]) -> None:
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for (label, value), row in zip(rows, table.rows, strict=False):
        _cell(row.cells[0], label, bold=True)
        _cell(row.cells[1], value)
    widths_of(table, [42, 114])
    para(doc, "", space_after=4)


def basis(doc, number: str) -> None:
    heading(doc, f"{number}、依据条款")
    body(doc, "本文书依据《盐城市市级政务信息化项目建设管理办法》（盐政办发〔2023〕25号）下列条款作出：")
    loop_table(
        doc,
        ["规则编号", "条款", "内容"],
        "b in basis",
        ["{{ b.rule }}", "{{ b.article }}", "{{ b.text }}"],
        [28, 30, 98],
    )


def signature(doc, signer: str = "{{ issuer }}") -> None:
    para(doc, "", space_after=12)
    para(doc, signer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    para(doc, "{{ issued_on }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    para(doc, "", space_after=6)
    para(
        doc,
        "（本文书由系统依据模板生成，文书编号 {{ document_no }}，生成时间 {{ generated_at }}）",
        size=10,
        align=WD_ALIGN_PARAGRAPH.LEFT,
    )


PROJECT_FACTS = [
    ("项目名称", "{{ project.title }}"),
    ("申报编号", "{{ project.declaration_no }}"),
    ("项目代码", "{{ project.project_code }}"),
    ("建设单位", "{{ project.org }}"),
]


def technical_opinion() -> Document:
    doc = new_document("{{ issuer }}")
    title(doc, "关于{{ project.title }}的技术审核意见")
    para(doc, "{{ project.org }}：", space_after=4)
    body(
        doc,
        "你单位报送的{{ project.title }}项目申请材料收悉。依据《盐城市市级政务信息化项目建设管理办法》"
        "第十条、第十一条，我局对项目进行了技术审核，组织了专家评审和联合会审，现提出意见如下。",
    )
    heading(doc, "一、项目基本情况")
    facts_table(
        doc, PROJECT_FACTS + [("申报投资（元）", "{{ estimated_investment }}"), ("申请材料", "{{ materials }}")]
    )
    heading(doc, "二、合规性审查")
    loop_table(
        doc,
        ["规则", "条款", "结论", "说明"],
        "c in checks",
        ["{{ c.rule }}", "{{ c.article }}", "{{ c.result }}", "{{ c.message }}"],
        [22, 28, 18, 88],
    )
    heading(doc, "三、专家评审与联合会审")
    loop_table(
        doc,
        ["评审", "评审人", "评分或结论", "意见"],
        "r in reviews",
        ["{{ r.kind }}", "{{ r.who }}", "{{ r.result }}", "{{ r.opinion }}"],
        [28, 28, 28, 72],
    )
    heading(doc, "四、审核意见")
    body(doc, "{{ opinion }}")
    basis(doc, "五")
    signature(doc)
    return doc


def approval_draft() -> Document:
    doc = new_document("{{ issuer }}")
    para(doc, "（草 稿）", align=WD_ALIGN_PARAGRAPH.CENTER, size=14, bold=True, color=RED, space_after=6)
    title(doc, "关于{{ project.title }}的批复")
    para(doc, "{{ project.org }}：", space_after=4)
    body(
        doc,
        "你单位报送的{{ project.title }}项目申请收悉。根据市大数据管理局技术审核意见（{{ technical_opinion_no }}）"
        "{{ estimate_clause }}，经研究，现批复如下：",
    )
    body(doc, "一、同意建设{{ project.title }}。项目代码：{{ project.project_code }}。")
    body(doc, "二、项目总投资{{ approved_investment }}元（人民币{{ approved_investment_words }}）。")
    body(
        doc,
        "三、项目建设周期{{ construction_months }}个月，自批复之日起计算，逾期不能验收的应向市大数据管理局申请延期。",
    )
    body(
        doc,
        "四、请严格按照批复内容组织实施，依法开展招标采购，委托工程监理，按季度报送建设进度，"
        "建成后按规定组织初验、试运行和终验，档案验收不合格的不得通过验收。",
    )
    heading(doc, "五、审批情况")
    facts_table(
        doc,
        PROJECT_FACTS
        + [
            ("申报投资（元）", "{{ estimated_investment }}"),
            ("概算评审核定（元）", "{{ reviewed_amount }}"),
            ("领导小组审定", "{{ leading_group }}"),
        ],
    )
    basis(doc, "六")
    signature(doc)
    return doc


def estimate_review() -> Document:
    doc = new_document("{{ issuer }}")
    title(doc, "{{ project.title }}投资概算评审意见")
    para(doc, "{{ project.org }}：", space_after=4)
    body(
        doc,
        "依据《盐城市市级政务信息化项目建设管理办法》第二十五条，总投资50万元（含）以上的项目须经市财政局"
        "投资概算评审，评审核定金额即为项目批复投资。现将{{ project.title }}投资概算评审结果告知如下。",
    )
    heading(doc, "一、评审结果")
    facts_table(
        doc,
        PROJECT_FACTS
        + [
            ("评审报告编号", "{{ report_no }}"),
            ("评审日期", "{{ reviewed_on }}"),
            ("申报概算（元）", "{{ estimated_investment }}"),
            ("评审核定（元）", "{{ reviewed_amount }}"),
            ("核定金额大写", "人民币{{ reviewed_amount_words }}"),
            ("核减额（元）", "{{ reduction }}"),
            ("核减率", "{{ reduction_rate }}"),
        ],
    )
    heading(doc, "二、说明")
    body(doc, "{{ remarks }}")
    basis(doc, "三")
    signature(doc)
    return doc


def acceptance_opinion() -> Document:
    doc = new_document("{{ issuer }}")
    title(doc, "{{ project.title }}{{ stage_name }}意见")
    body(
        doc,
        "{{ accepted_on }}，{{ leader }}依据《盐城市市级政务信息化项目建设管理办法》第二十一条至第二十三条，"
        "组织对{{ project.title }}进行了{{ stage_name }}。验收组听取了建设单位汇报，查验了系统运行情况，"
        "审查了项目档案和安全测评材料，形成意见如下。",
    )
    heading(doc, "一、项目概况")
    facts_table(
        doc,
        PROJECT_FACTS
        + [
            ("验收路径", "{{ path_name }}"),
            ("初步验收", "{{ preliminary_on }}"),
            ("试运行", "{{ trial_period }}"),
            ("终验日期", "{{ final_on }}"),
        ],
    )
    heading(doc, "二、档案与安全")
    loop_table(
        doc,
        ["事项", "报告编号或经办", "结论"],
        "s in safeguards",
        ["{{ s.name }}", "{{ s.ref }}", "{{ s.result }}"],
        [56, 60, 40],
    )
    heading(doc, "三、验收结论")
    body(doc, "{{ opinion }}")
    basis(doc, "四")
    signature(doc, "验收组组长：{{ leader }}")
    return doc


def rectification_notice() -> Document:
    doc = new_document("{{ issuer }}")
    title(doc, "整改通知书")
    para(doc, "{{ project.org }}：", space_after=4)
    body(
        doc,
        "经检查，你单位承担的{{ project.title }}项目存在下列问题，不符合《盐城市市级政务信息化项目建设管理办法》"
        "{{ finding_article }}的规定。依据第三十条，现责令你单位于{{ deadline }}前完成整改，"
        "并将整改情况及佐证材料报送我单位核查。",
    )
    heading(doc, "一、整改事项")
    facts_table(
        doc,
        PROJECT_FACTS
        + [
            ("整改单编号", "{{ order_id }}"),
            ("监督领域", "{{ area_name }}"),
            ("存在问题", "{{ finding }}"),
            ("违反条款", "{{ finding_rule }} {{ finding_article }}"),
            ("整改期限", "{{ deadline }}"),
        ],
    )
    heading(doc, "二、逾期后果")
    body(
        doc,
        "逾期未整改或整改后经核查仍不符合要求的，将依照第三十条视情节予以通报批评、暂缓安排投资计划、"
        "暂停项目建设直至终止项目；暂停建设期间不予拨付资金。",
    )
    basis(doc, "三")
    signature(doc)
    return doc


TEMPLATES = {
    "technical_opinion": technical_opinion,
    "approval_draft": approval_draft,
    "estimate_review": estimate_review,
    "acceptance_opinion": acceptance_opinion,
    "rectification_notice": rectification_notice,
}


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, build in TEMPLATES.items():
        path = OUT / f"{name}.docx"
        build().save(path)
        print(path.relative_to(OUT.parents[4]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
