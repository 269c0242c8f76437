"""Generated documents: 技术审核意见, 项目批复（草稿）, 概算评审意见, 验收意见, 整改通知书.

One editable Word template per kind (`templates/<kind>.docx`, docxtpl/Jinja tags; first made by
scripts/make_doc_templates.py, edited in Word since) gives both formats: the DOCX is the filled
template, the PDF is that DOCX converted by LibreOffice headless (`soffice`, Debian's
libreoffice-writer-nogui, installed by scripts/system-deps.sh) with the CJK fonts of fonts-noto-cjk.
One template, so the two formats can never drift apart.

The services build the context from their own data and store both files through the documents module;
this module knows no service.
"""

from __future__ import annotations

import asyncio
import atexit
import io
import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import structlog

from ..clock import SHANGHAI, now
from ..errors import Problem
from ..rules import article_of, basis_of
from .models import GeneratedDocument

log = structlog.get_logger()

TEMPLATES = Path(__file__).parent / "templates"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


@dataclass(frozen=True)
class DocKind:
    name: str
    title: str  # 中文文书名
    template: str
    issuer_role: str  # who issues it (for the record; the endpoints authorise)
    stored_as: str = ""  # the document kind (govkit.documents.kinds) it is stored as, if not `name`

    @property
    def document_kind(self) -> str:
        return self.stored_as or self.name


KINDS: dict[str, DocKind] = {
    k.name: k
    for k in (
        DocKind("technical_opinion", "技术审核意见", "technical_opinion.docx", "bdb"),
        DocKind("approval_draft", "项目批复（草稿）", "approval_draft.docx", "approval_bureau"),
        DocKind("estimate_review", "概算评审意见", "estimate_review.docx", "finance"),
        DocKind("acceptance_opinion", "验收意见", "acceptance_opinion.docx", "acceptance leader"),
        DocKind(
            "rectification_notice",
            "整改通知书",
            "rectification_notice.docx",
            "supervising department",
            "rectification_order",
        ),
    )
}

# What each rule cited by a generated document says, in the document's words (RULES.md, abridged).
RULE_TEXT = {
    "R-7.1": "审批时说明软硬件产品的安全可靠情况",
    "R-7.2": "网络安全与系统同步规划、同步建设、同步运行；终验前完成网络安全检测和风险评估，使用密码的完成密评",
    "R-10.1": (
        "市大数据管理局负责技术审核，市行政审批局负责项目审批；申报材料包括项目建议书、可行性研究报告、初步设计方案"
    ),
    "R-10.2": "非涉密项目依托政务云、信息资源中心、电子政务网络等共享基础设施建设",
    "R-10.3": "一部门一平台，已有平台的部门应整合接入",
    "R-10.4": "面向公众、企业、个人和办公的功能接入苏服办、盐企通、我的盐城、盐政通",
    "R-10.5": "可通过共享交换获取的数据不得重复采集",
    "R-10.6": "市级平台原则上市县共用",
    "R-11.1": "市大数据管理局组织专家评审和联合会审",
    "R-11.2": "200万元以下由各部门出具意见；200万元及以上先报领导小组审定",
    "R-12.1": "跨部门项目由牵头部门会同参与部门共同申报，建设内容不得重复交叉",
    "R-13.1": "项目通过江苏省投资项目在线审批监管平台赋码",
    "R-14.1": "不涉及新建土建、非高耗能项目不再办理节能、选址、用地预审、环评审批",
    "R-21.1": "项目验收分为初步验收、试运行、终验三个阶段",
    "R-21.2": "非涉密项目初验和试运行由建设单位组织，终验由市大数据管理局会同发改等部门联合验收",
    "R-21.3": "200万元以下项目初验与终验可合并进行",
    "R-21.4": "代建项目由委托单位会同发改、大数据管理部门组织专家验收",
    "R-21.5": "建设周期以批复为准，不能按期验收的应申请延期",
    "R-22.1": "档案验收不合格的，不得通过验收",
    "R-22.2": "探索应用电子档案",
    "R-23.1": "涉密项目经保密部门审查合格后方可运行",
    "R-25.1": "总投资50万元（含）以上的项目须经财政部门投资概算评审，评审核定金额为批复投资",
    "R-26.1": "资金拨付须具备技术审核意见、批复文件、概算评审报告及合规的采购合同",
    "R-30.1": "监督部门按职责检查，发现问题责令限期整改",
    "R-30.2": "逾期未整改或整改不到位的，予以通报批评、暂缓安排投资计划、暂停建设直至终止项目",
}


def basis(*rules: str) -> list[dict]:
    """The rules a document rests on: id, article, whose reading, and what it says."""
    out, seen = [], set()
    for rule in rules:
        if rule and rule not in seen:
            seen.add(rule)
            out.append(
                {"rule": rule, "article": article_of(rule), "basis": basis_of(rule), "text": RULE_TEXT.get(rule, "")}
            )
    return out


def yuan(value: Decimal | None) -> str:
    """1234567.8 → '1,234,567.80'; None → '—'."""
    if value is None:
        return "—"
    return f"{Decimal(value).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


def yuan_words(value: Decimal | None) -> str:
    """Money in capitals as on a Chinese payment document: 1000000 → '壹佰万元整'."""
    if value is None:
        return "—"
    import cn2an

    return cn2an.an2cn(str(Decimal(value).quantize(Decimal("0.01"))), "rmb")


def date_zh(value: date | datetime | None) -> str:
    """2026-12-03 → '2026年12月3日' (the form of dates on official documents)."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = value.astimezone(SHANGHAI).date()
    return f"{value.year}年{value.month}月{value.day}日"


def text(value: Any) -> str:
    return "—" if value is None or value == "" else str(value)


def project_facts(*, title: str | None, declaration_no: str | None, project_code: str | None, org: str | None) -> dict:
    return {
        "title": text(title),
        "declaration_no": text(declaration_no),
        "project_code": project_code or "（待赋码）",
        "org": text(org),
    }


@dataclass
class Generated:
    kind: str
    title: str
    document_no: str
    rules: list[dict]
    docx: bytes
    pdf: bytes
    context: dict = field(repr=False, default_factory=dict)

    def metadata(self) -> dict:
        """What the stored document carries besides its bytes."""
        return {
            "generated_kind": self.kind,
            "document_no": self.document_no,
            "title": self.title,
            "rules": [{k: r[k] for k in ("rule", "article", "basis")} for r in self.rules],
        }


def render_docx(kind: str, context: dict) -> bytes:
    """Fill the kind's Word template. Values are escaped by docxtpl (autoescape)."""
    from docxtpl import DocxTemplate

    spec = KINDS[kind]
    tpl = DocxTemplate(str(TEMPLATES / spec.template))
    tpl.render(context, autoescape=True)
    props = tpl.docx.core_properties  # carried into the PDF's Title / Subject / Keywords
    props.title = f"{spec.title} {context.get('document_no', '')}".strip()
    props.author = context.get("issuer", "GovPM")
    props.subject = f"{context.get('project', {}).get('title', '')} 文书编号 {context.get('document_no', '')}"
    props.identifier = context.get("document_no", "")
    props.keywords = "; ".join(f"{b['rule']} {b['article']}" for b in context.get("basis", []))
    props.category = spec.title
    props.created = props.modified = now().replace(microsecond=0, tzinfo=None)
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()


# -- DOCX → PDF with LibreOffice headless ---------------------------------------------------------
_convert_lock: asyncio.Lock | None = None
_profile: Path | None = None


def soffice() -> str | None:
    return shutil.which(os.environ.get("GOVPM_SOFFICE", "soffice"))


def _profile_dir() -> Path:
    """A LibreOffice user profile of this process (made once, ~10 s; a profile in use by another
    process cannot be shared), removed when the process ends."""
    global _profile
    if _profile is None:
        _profile = Path(tempfile.mkdtemp(prefix="govpm-soffice-"))
        atexit.register(shutil.rmtree, _profile, True)
    return _profile


async def to_pdf(docx: bytes, *, timeout: float = 180.0) -> bytes:
    """Convert a DOCX to PDF. One conversion at a time per process; 503 when LibreOffice is missing
    or fails (nothing is stored then)."""
    global _convert_lock
    exe = soffice()
    if exe is None:
        raise Problem(
            503, "无法生成 PDF：服务器未安装 LibreOffice（scripts/system-deps.sh 安装 libreoffice-writer-nogui）"
        )
    if _convert_lock is None:
        _convert_lock = asyncio.Lock()
    async with _convert_lock:
        with tempfile.TemporaryDirectory(prefix="govpm-docgen-") as work:
            src = Path(work) / "document.docx"
            src.write_bytes(docx)
            proc = await asyncio.create_subprocess_exec(
                exe,
                "--headless",
                "--norestore",
                "--nolockcheck",
                "--nodefault",
                f"-env:UserInstallation={_profile_dir().as_uri()}",
                "--convert-to",
                "pdf:writer_pdf_Export",
                "--outdir",
                work,
                str(src),
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env={**os.environ, "HOME": str(_profile_dir())},
            )
            try:
                out, err = await asyncio.wait_for(proc.communicate(), timeout)
            except TimeoutError:
                proc.kill()
                await proc.wait()
                log.error("docgen.pdf_timeout", timeout=timeout)
                raise Problem(503, "PDF 生成超时，请稍后重试") from None
            pdf = Path(work) / "document.pdf"
            if proc.returncode != 0 or not pdf.exists():
                log.error("docgen.pdf_failed", returncode=proc.returncode, stderr=err.decode(errors="replace")[-500:])
                raise Problem(503, "PDF 生成失败，请稍后重试")
            return pdf.read_bytes()


async def generate(
    kind: str, *, document_no: str, issuer: str, rules: list[str], context: dict, issued_on: date | None = None
) -> Generated:
    """Fill the template of `kind` and convert it: the DOCX and the PDF of one document."""
    spec = KINDS[kind]
    moment = now()
    full = {
        "document_no": document_no,
        "issuer": issuer,
        "issued_on": date_zh(issued_on or moment),
        "generated_at": moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M"),
        "basis": basis(*rules),
        **context,
    }
    docx = await asyncio.to_thread(render_docx, kind, full)
    pdf = await to_pdf(docx)
    return Generated(
        kind=kind, title=spec.title, document_no=document_no, rules=full["basis"], docx=docx, pdf=pdf, context=full
    )


async def generate_and_store(
    session,
    store,
    *,
    project_id: str,
    kind: str,
    document_no: str,
    issuer: str,
    rules: list[str],
    context: dict,
    actor,
    issued_on: date | None = None,
) -> dict:
    """Generate a document and store both formats as documents of the project (SHA-256 and SM3,
    `<Service>DocumentStored` in the request's transaction). The files carry the document number and
    the rules (in the text and in their properties: Title, Subject, Keywords)."""
    from ..documents import service as documents

    g = await generate(kind, document_no=document_no, issuer=issuer, rules=rules, context=context, issued_on=issued_on)
    stored = {}
    title = f"{g.title} {document_no}"
    stem = f"{g.title}-{document_no}".replace("/", "-")
    for fmt, data, media in (("docx", g.docx, DOCX), ("pdf", g.pdf, PDF)):
        doc = await documents.store_bytes(
            session,
            store,
            project_id=str(project_id),
            kind=KINDS[kind].document_kind,
            title=title,
            data=data,
            actor=actor,
            filename=f"{stem}.{fmt}",
            content_type=media,
            rule=rules[0] if rules else None,
        )
        stored[fmt] = documents.to_out(doc).model_dump()
    from . import repository

    row = await repository.add(
        session,
        GeneratedDocument(
            id=str(uuid.uuid4()),
            project_id=str(project_id),
            kind=kind,
            document_no=document_no,
            issuer=issuer,
            rules=[{k: r[k] for k in ("rule", "article", "basis")} for r in g.rules],
            docx_id=stored["docx"]["id"],
            pdf_id=stored["pdf"]["id"],
            created_by=getattr(actor, "sub", "") or "",
            created_by_org=getattr(actor, "org", "") or "",
        ),
    )
    return {
        "id": row.id,
        "kind": kind,
        "kind_label": g.title,
        "project_id": str(project_id),
        "document_no": document_no,
        "issuer": issuer,
        "rules": row.rules,
        "created_at": row.created_at,
        "docx": stored["docx"],
        "pdf": stored["pdf"],
    }
