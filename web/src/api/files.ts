// Materials: the file's SHA-256 is computed in the browser and registered with the approval
// application; where the service stores documents (POST …/projects/{id}/documents,
// multipart `kind`, `file`), the bytes are uploaded there first.
import { raw } from './client'

export async function sha256Hex(file: Blob): Promise<string> {
  const buf = await file.arrayBuffer()
  const digest = await crypto.subtle.digest('SHA-256', buf)
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

export async function documentsSupported(service: string, projectId: string): Promise<boolean> {
  try {
    await raw('GET', `/api/v1/${service}/projects/${projectId}/documents`)
    return true
  } catch {
    return false
  }
}

// The document kinds the services store (API.md, Documents); a material kind they do not name is 'material'.
export const DOCUMENT_KINDS: Record<string, string> = {
  proposal: '项目建议书', feasibility_study: '可行性研究报告', preliminary_design: '初步设计方案', material: '申报材料',
  approval_document: '批复文件', technical_opinion: '技术审核意见', estimate_review: '概算评审报告', contract: '采购合同',
  invoice: '发票', payment_evidence: '支付凭证', funding_plan: '资金计划', quarterly_report: '季度报告', report_attachment: '报告附件',
  supervision_report: '监理报告', rectification_order: '整改通知', rectification_evidence: '整改材料', om_plan: '运维方案',
  training_material: '培训材料', security_test: '网络安全检测报告', risk_assessment: '风险评估报告', crypto_assessment: '密评报告',
  secrecy_review: '保密审查意见', trial_operation_report: '试运行报告', acceptance_record: '验收记录', acceptance_opinion: '验收意见',
  archives_report: '档案验收报告', post_evaluation: '后评价报告', consultation_opinion: '会商意见', approval_draft: '批复文件草稿', other: '其他',
}
export const SERVICES: Record<string, { name: string; base: string }> = {
  reserve: { name: '储备', base: '/api/v1/reserve' }, approval: { name: '审批', base: '/api/v1/approval' },
  budget: { name: '资金', base: '/api/v1/budget' }, oversight: { name: '监管', base: '/api/v1' }, acceptance: { name: '验收', base: '/api/v1/acceptance' },
}
const docBase = (service: string) => (service === 'oversight' ? '/api/v1/oversight' : SERVICES[service].base)

export interface StoredDocument { id: string; kind: string; sha256: string; sm3?: string; size: number; media_type: string; filename?: string; created_at?: string; service?: string }

export async function uploadDocument(service: string, projectId: string, kind: string, file: File): Promise<StoredDocument> {
  const form = new FormData()
  form.append('kind', kind)
  form.append('file', file, file.name)
  return raw<StoredDocument>('POST', `${SERVICES[service].base}/projects/${projectId}/documents`, form)
}

export async function listDocuments(projectId: string): Promise<StoredDocument[]> {
  const lists = await Promise.all(Object.keys(SERVICES).map(async (s) => {
    try {
      const r = await raw<{ items?: StoredDocument[] } | StoredDocument[]>('GET', `${SERVICES[s].base}/projects/${projectId}/documents`)
      return (Array.isArray(r) ? r : r.items || []).map((d) => ({ ...d, service: s }))
    } catch { return [] }
  }))
  return lists.flat()
}

export function documentUrl(d: StoredDocument): string {
  return `${docBase(d.service || 'approval')}/documents/${d.id}`
}

export async function uploadMaterial(projectId: string, kind: string, file: File, onProgress?: (step: string) => void): Promise<void> {
  onProgress?.('计算文件摘要…')
  const sha256 = await sha256Hex(file)
  let documentId: string | undefined
  if (await documentsSupported('approval', projectId)) {
    onProgress?.('上传文件…')
    const doc = await uploadDocument('approval', projectId, kind in DOCUMENT_KINDS ? kind : 'material', file)
    documentId = doc.id
  }
  onProgress?.('登记材料…')
  await raw('POST', `/api/v1/approval/applications/${projectId}/materials`, { kind, title: file.name, sha256, ...(documentId ? { document_id: documentId } : {}) },
    { headers: { 'Idempotency-Key': `${projectId}-${kind}-${sha256}` } })
}
