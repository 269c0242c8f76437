// The actions a page offers: who may take them (the OpenAPI's x-roles), the form each needs and the
// call it makes. Whether one is offered *now* comes from the API: acceptance's `next_steps`, the
// application's and the read model's status — the browser never re-decides a rule; a step the API
// still refuses shows its refusal with the article.
import { CATEGORY } from './labels'

export type FieldType = 'text' | 'textarea' | 'money' | 'int' | 'date' | 'bool' | 'select' | 'list'
export interface Field {
  name: string; label: string; type: FieldType; required?: boolean
  options?: { value: string | number; label: string }[]; default?: unknown; help?: string; min?: number; max?: number
  /** options read from the page's context (e.g. the project's contracts), value/label per item */
  optionsFrom?: (c: Ctx) => { value: string; label: string }[]
}
export interface Ctx {
  project?: Record<string, any> | null
  application?: Record<string, any> | null
  acceptance?: Record<string, any> | null
  budget?: Record<string, any> | null
  contracts?: Record<string, any>[]
  fundingRequests?: Record<string, any>[]
}
export interface Action {
  key: string; label: string; roles: string[]; method: 'POST' | 'PUT'
  path: (pid: string) => string; fields: Field[]; group: string
  body?: (form: Record<string, any>) => unknown
  when?: (c: Ctx) => boolean
  type?: 'primary' | 'danger' | 'default'; rule?: string
}

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)  // Asia/Shanghai
const opts = (m: Record<string, string>) => Object.entries(m).map(([value, label]) => ({ value, label }))
const A = (pid: string) => `/api/v1/approval/applications/${pid}`
const B = (pid: string) => `/api/v1/budget/projects/${pid}`
const O = (pid: string) => `/api/v1/projects/${pid}`
const C = (pid: string) => `/api/v1/acceptance/projects/${pid}`
const appStatus = (c: Ctx) => c.application?.status
const step = (name: string) => (c: Ctx) => !!c.acceptance?.next_steps?.some((s: { step: string }) => s.step === name)
const built = (c: Ctx) => ['approved', 'in_construction', 'in_acceptance'].includes(c.project?.status)
const approvedOnce = (c: Ctx) => built(c) || ['final_accepted', 'suspended'].includes(c.project?.status)
const accepted = (c: Ctx) => c.acceptance?.stage === 'final_accepted'
const RATINGS = opts({ excellent: '优秀', good: '良好', fair: '一般', inefficient: '低效' })
const DECISION = opts({ approve: '同意', reject: '不同意' })

export const MATERIAL_KINDS: Record<string, string> = {
  proposal: '项目建议书', feasibility_study: '可行性研究报告', preliminary_design: '初步设计方案（含投资概算）',
  security_statement: '安全可靠情况说明', energy_review: '节能审查', site_selection: '选址意见', land_prereview: '用地预审',
  environmental_impact: '环境影响评价', other: '其他材料',
}

export const ACTIONS: Action[] = [
  // --- approval (第十条 – 第十四条) ---
  { key: 'compliance', group: '审批', label: '填写合规声明', roles: ['unit'], method: 'PUT', path: (p) => `${A(p)}/compliance`, rule: 'R-10.2',
    when: (c) => appStatus(c) === 'open',
    fields: [
      { name: 'uses_shared_infrastructure', label: '使用政务云等共享基础设施', type: 'bool', default: true },
      { name: 'own_infrastructure_justification', label: '自建基础设施理由', type: 'textarea' },
      { name: 'serves_public', label: '面向公众服务', type: 'bool', default: false },
      { name: 'entrances', label: '统一入口（逗号分隔：susufuban, yanqitong, my_yancheng, yanzhengtong）', type: 'list', default: 'yanzhengtong' },
      { name: 'county_extension', label: '向县（市、区）延伸', type: 'bool', default: false },
      { name: 'county_extension_reason', label: '不延伸或延伸的说明', type: 'textarea', default: '仅市级部署' },
    ] },
  { key: 'submit', group: '审批', label: '提交审核', roles: ['unit'], method: 'POST', path: (p) => `${A(p)}/submit`, type: 'primary', rule: 'R-10.1',
    when: (c) => appStatus(c) === 'open', fields: [] },
  { key: 'expert-review', group: '审批', label: '录入专家评审', roles: ['bdb', 'expert'], method: 'POST', path: (p) => `${A(p)}/expert-reviews`, rule: 'R-11.1',
    when: (c) => appStatus(c) === 'under_review',
    fields: [
      { name: 'expert', label: '专家姓名', type: 'text', required: true },
      { name: 'score', label: '评分（0–100）', type: 'int', required: true, min: 0, max: 100, default: 85 },
      { name: 'opinion', label: '评审意见', type: 'textarea', required: true, default: '方案基本可行' },
    ] },
  { key: 'joint-review', group: '审批', label: '联合会审', roles: ['bdb', 'approval_bureau'], method: 'POST', path: (p) => `${A(p)}/joint-review`, rule: 'R-11.1',
    when: (c) => appStatus(c) === 'under_review' && !c.application?.joint_decision,
    fields: [{ name: 'decision', label: '会审结论', type: 'select', options: DECISION, required: true, default: 'approve' },
      { name: 'opinion', label: '会审意见', type: 'textarea', required: true, default: '联合会审通过' }] },
  { key: 'leading-group', group: '审批', label: '领导小组审定', roles: ['leading_group'], method: 'POST', path: (p) => `${A(p)}/leading-group-decision`, rule: 'R-11.2',
    when: (c) => appStatus(c) === 'under_review' && !!c.application?.leading_group_required,
    fields: [{ name: 'decision', label: '审定结论', type: 'select', options: DECISION, required: true, default: 'approve' },
      { name: 'opinion', label: '审定意见', type: 'textarea', required: true, default: '同意建设' }] },
  { key: 'technical-opinion', group: '审批', label: '出具技术审核意见', roles: ['bdb'], method: 'POST', path: (p) => `${A(p)}/technical-opinion`, rule: 'R-13.1',
    when: (c) => appStatus(c) === 'under_review' && !c.application?.technical_opinion_no,
    fields: [{ name: 'document_no', label: '技术审核意见文号', type: 'text', required: true }] },
  { key: 'generate-technical-opinion', group: '审批', label: '生成技术审核意见文书', roles: ['bdb'], method: 'POST', path: (p) => `${A(p)}/documents/technical-opinion`, rule: 'R-10.1',
    when: (c) => appStatus(c) === 'under_review' && !!c.application?.technical_opinion_no,
    fields: [{ name: 'document_no', label: '文书编号（可空：取技术审核意见文号）', type: 'text' }] },
  { key: 'approval-document', group: '审批', label: '出具批复文件', roles: ['approval_bureau'], method: 'POST', path: (p) => `${A(p)}/approval-document`, type: 'primary', rule: 'R-14.1',
    when: (c) => appStatus(c) === 'under_review',
    fields: [{ name: 'document_no', label: '批复文号', type: 'text', required: true },
      { name: 'approved_investment', label: '批复投资（元，可空：取评审额）', type: 'money' },
      { name: 'construction_months', label: '建设周期（月）', type: 'int', required: true, default: 12, min: 1, max: 120 }] },
  { key: 'return', group: '审批', label: '退回补正', roles: ['bdb', 'approval_bureau'], method: 'POST', path: (p) => `${A(p)}/return-for-revision`, type: 'danger', rule: 'R-11.1',
    when: (c) => appStatus(c) === 'under_review',
    fields: [{ name: 'reasons', label: '退回理由（每行一条）', type: 'list', required: true }] },
  // --- budget (第二十五条 – 第二十七条) ---
  { key: 'estimate-review', group: '资金', label: '概算评审', roles: ['finance'], method: 'POST', path: (p) => `${B(p)}/estimate-review`, rule: 'R-25.1',
    when: (c) => appStatus(c) === 'under_review' && !!c.application?.estimate_review_required && !c.application?.estimate_review,
    fields: [{ name: 'report_no', label: '评审报告编号', type: 'text', required: true },
      { name: 'reviewed_amount', label: '审定金额（元）', type: 'money', required: true }] },
  { key: 'contract', group: '资金', label: '登记采购合同', roles: ['unit'], method: 'POST', path: (p) => `${B(p)}/contracts`, rule: 'R-26.1', when: built,
    fields: [{ name: 'contract_no', label: '合同编号', type: 'text', required: true },
      { name: 'supplier', label: '供应商', type: 'text', required: true },
      { name: 'amount', label: '合同金额（元）', type: 'money', required: true },
      { name: 'procurement_method', label: '采购方式', type: 'select', required: true, default: 'open_tender',
        options: opts({ open_tender: '公开招标', invited_tender: '邀请招标', competitive_negotiation: '竞争性谈判', competitive_consultation: '竞争性磋商', single_source: '单一来源', inquiry: '询价', framework_agreement: '框架协议' }) },
      { name: 'signed_on', label: '签订日期', type: 'date', required: true }] },
  { key: 'funding-plan', group: '资金', label: '列入年度资金计划', roles: ['bdb', 'finance'], method: 'PUT', path: (p) => `/api/v1/budget/funding-plans/${today().slice(0, 4)}/lines/${p}`, rule: 'R-4.2', when: built,
    fields: [{ name: 'amount', label: '本年计划金额（元）', type: 'money', required: true }, { name: 'reason', label: '说明', type: 'text', default: '按项目进度安排资金' }] },
  { key: 'funding-request', group: '资金', label: '申请资金', roles: ['unit'], method: 'POST', path: (p) => `${B(p)}/funding-requests`, rule: 'R-5.1', when: built,
    body: (f) => ({ ...f, evidence: [{ kind: 'milestone', ref: f.evidence || '阶段性成果' }] }),
    fields: [{ name: 'amount', label: '申请金额（元）', type: 'money', required: true }, { name: 'purpose', label: '用途', type: 'text', required: true, default: '合同进度款' },
      { name: 'contract_id', label: '对应合同', type: 'select', required: true, optionsFrom: (c) => (c.contracts || []).map((x) => ({ value: x.id, label: `${x.contract_no} · ${x.supplier}` })) },
      { name: 'evidence', label: '发票或里程碑佐证', type: 'text', required: true, default: '阶段性成果验收单' }] },
  { key: 'disbursement', group: '资金', label: '拨付资金', roles: ['finance'], method: 'POST', path: (p) => `${B(p)}/disbursements`, type: 'primary', rule: 'R-26.1', when: built,
    fields: [{ name: 'request_id', label: '对应资金申请（已确认）', type: 'select', required: true,
      optionsFrom: (c) => (c.fundingRequests || []).filter((r) => r.status === 'confirmed').map((r) => ({ value: r.id, label: `${r.purpose} · ${r.amount} 元（剩余 ${r.remaining ?? r.amount}）` })) },
      { name: 'amount', label: '拨付金额（元）', type: 'money', required: true },
      { name: 'purpose', label: '用途', type: 'text', required: true, default: '合同首付款' },
      { name: 'payee', label: '收款单位', type: 'text' }] },
  // --- oversight (第十五条 – 第十九条, 第三十条) ---
  { key: 'construction', group: '建设', label: '建设信息备案', roles: ['unit'], method: 'PUT', path: (p) => `${O(p)}/construction`, rule: 'R-17.1', when: built,
    fields: [{ name: 'implementing_body', label: '实施主体', type: 'text', required: true },
      { name: 'responsible_person', label: '项目负责人', type: 'text', required: true },
      { name: 'supervision_firm', label: '监理单位', type: 'text', required: true },
      { name: 'warranty_years', label: '质保期（年）', type: 'int', required: true, default: 2, min: 0, max: 20 },
      { name: 'ip_owner', label: '知识产权归属', type: 'text', default: '建设单位' },
      { name: 'om_plan', label: '运维方案', type: 'textarea' }, { name: 'training_plan', label: '培训计划', type: 'textarea' },
      { name: 'training_materials', label: '培训教材', type: 'textarea' }] },
  { key: 'progress-report', group: '建设', label: '报送季度进展', roles: ['unit'], method: 'POST', path: (p) => `${O(p)}/progress-reports`, type: 'primary', rule: 'R-18.1', when: built,
    fields: [
      { name: 'year', label: '年度', type: 'int', required: true, default: new Date().getFullYear() },
      { name: 'quarter', label: '季度', type: 'select', required: true, default: Math.floor(new Date().getMonth() / 3) + 1, options: [1, 2, 3, 4].map((q) => ({ value: q, label: `第${q}季度` })) },
      { name: 'procedures', label: '前期手续', type: 'text', required: true, default: '已完成' },
      { name: 'tendering', label: '招投标', type: 'text', required: true, default: '已完成' },
      { name: 'start_completion', label: '开工与完工', type: 'text', required: true, default: '已开工' },
      { name: 'implementation', label: '实施情况', type: 'textarea', required: true, default: '按计划推进' },
      { name: 'development_progress_pct', label: '开发进度（%）', type: 'int', required: true, default: 30, min: 0, max: 100 },
      { name: 'investment_completed_year', label: '本年完成投资（元）', type: 'money', required: true, default: '0.00' },
      { name: 'funds_used_year', label: '本年资金使用（元）', type: 'money', required: true, default: '0.00' },
      { name: 'investment_completed_total', label: '累计完成投资（元）', type: 'money', required: true, default: '0.00' },
      { name: 'funds_used_total', label: '累计资金使用（元）', type: 'money', required: true, default: '0.00' }] },
  { key: 'incident', group: '建设', label: '报告重大事项', roles: ['unit'], method: 'POST', path: (p) => `${O(p)}/incidents`, rule: 'R-19.1', when: built,
    fields: [{ name: 'kind', label: '类型', type: 'select', required: true, options: opts({ serious_delay: '严重滞后', major_loss: '重大损失' }) },
      { name: 'description', label: '情况说明', type: 'textarea', required: true }] },
  { key: 'rectification', group: '监管', label: '下达整改通知', roles: ['bdb', 'finance', 'approval_bureau', 'cac', 'crypto', 'secrecy', 'police'], method: 'POST', path: (p) => `${O(p)}/rectifications`, rule: 'R-30.1', when: approvedOnce,
    fields: [{ name: 'finding', label: '发现的问题', type: 'textarea', required: true },
      { name: 'area', label: '领域', type: 'select', default: 'other', options: opts({ resource_sharing: '资源共享', tendering_procurement: '招标采购', funds: '资金', network_security: '网络安全', cryptography: '密码应用', secrecy: '保密', mlps: '等级保护', incident: '重大事项', other: '其他' }) },
      { name: 'rule', label: '依据规则（如 R-17.1）', type: 'text' },
      { name: 'deadline', label: '整改期限', type: 'date', required: true }] },
  { key: 'sanction', group: '监管', label: '处理措施', roles: ['bdb'], method: 'POST', path: (p) => `${O(p)}/sanctions`, type: 'danger', rule: 'R-30.2', when: approvedOnce,
    fields: [{ name: 'level', label: '措施', type: 'select', required: true, options: opts({ criticism: '通报批评', defer_investment: '暂缓安排投资', suspend: '暂停项目', terminate: '终止项目' }) },
      { name: 'rectification_id', label: '对应整改通知编号', type: 'text' },
      { name: 'reason', label: '理由', type: 'textarea', required: true }] },
  { key: 'resume', group: '监管', label: '恢复项目', roles: ['bdb'], method: 'POST', path: (p) => `${O(p)}/resume`, rule: 'R-30.2',
    when: (c) => c.project?.status === 'suspended', fields: [] },
  // --- acceptance (第二十一条 – 第二十四条) ---
  { key: 'path', group: '验收', label: '选择验收方式', roles: ['unit'], method: 'POST', path: (p) => `${C(p)}/path`, rule: 'R-21.3',
    when: (c) => c.acceptance?.stage === 'construction' && ['merged', 'standard'].includes(c.acceptance?.path) && !c.acceptance?.preliminary?.accepted_on,
    fields: [{ name: 'path', label: '验收方式', type: 'select', required: true, default: 'merged', options: opts({ merged: '初验与终验合并', standard: '先初验、试运行，再终验' }) }] },
  { key: 'security-assessment', group: '验收', label: '登记安全测评', roles: ['unit', 'bdb', 'cac', 'crypto', 'police'], method: 'POST', path: (p) => `${C(p)}/security-assessments`, rule: 'R-7.2',
    when: (c) => !!c.acceptance && !accepted(c),
    fields: [{ name: 'kind', label: '类型', type: 'select', required: true, default: 'mlps', options: opts({ mlps: '等保测评', crypto: '密码应用安全性评估', risk: '风险评估' }) },
      { name: 'report_no', label: '报告编号', type: 'text', required: true }, { name: 'passed', label: '通过', type: 'bool', default: true }] },
  { key: 'profile', group: '验收', label: '密码使用说明', roles: ['unit'], method: 'PUT', path: (p) => `${C(p)}/profile`, rule: 'R-7.2',
    when: (c) => !!c.acceptance && !accepted(c),
    fields: [{ name: 'uses_cryptography', label: '系统使用密码技术', type: 'bool', default: false }] },
  { key: 'archives', group: '验收', label: '档案验收', roles: ['bdb', 'archives'], method: 'POST', path: (p) => `${C(p)}/archives-acceptance`, rule: 'R-22.1',
    when: (c) => !!c.acceptance && !accepted(c),
    fields: [{ name: 'report_no', label: '档案验收意见编号', type: 'text', required: true }, { name: 'passed', label: '通过', type: 'bool', default: true }] },
  { key: 'secrecy-review', group: '验收', label: '保密审查', roles: ['secrecy'], method: 'POST', path: (p) => `${C(p)}/secrecy-review`, rule: 'R-23.1',
    when: (c) => !!c.acceptance?.classified && !accepted(c),
    fields: [{ name: 'passed', label: '通过', type: 'bool', default: true }, { name: 'opinion', label: '意见', type: 'textarea' }] },
  { key: 'preliminary', group: '验收', label: '初步验收', roles: ['unit', 'big_data_group'], method: 'POST', path: (p) => `${C(p)}/preliminary`, rule: 'R-21.1', when: step('preliminary'),
    fields: [{ name: 'opinion', label: '初验意见', type: 'textarea', required: true, default: '初步验收通过' }, { name: 'accepted_on', label: '初验日期', type: 'date' }] },
  { key: 'trial-operation', group: '验收', label: '开始试运行', roles: ['unit', 'big_data_group'], method: 'POST', path: (p) => `${C(p)}/trial-operation`, rule: 'R-21.1', when: step('trial_operation'),
    fields: [{ name: 'starts_on', label: '开始日期', type: 'date', required: true }, { name: 'ends_on', label: '结束日期', type: 'date', required: true }] },
  { key: 'final-application', group: '验收', label: '申请竣工验收', roles: ['unit', 'big_data_group'], method: 'POST', path: (p) => `${C(p)}/final-application`, rule: 'R-21.1', when: step('final_application'),
    fields: [{ name: 'planned_on', label: '计划验收日期', type: 'date', required: true }] },
  { key: 'final', group: '验收', label: '竣工验收', roles: ['unit', 'bdb', 'big_data_group'], method: 'POST', path: (p) => `${C(p)}/final`, type: 'primary', rule: 'R-21.2', when: step('final'),
    fields: [{ name: 'opinion', label: '验收意见', type: 'textarea', required: true, default: '竣工验收通过' },
      { name: 'participants', label: '参加单位（逗号分隔角色：bdb, ndrc）', type: 'list', default: 'bdb, ndrc' },
      { name: 'warranty_years', label: '质保期（年）', type: 'int', default: 2, min: 0, max: 20 }] },
  { key: 'self-evaluation', group: '评价', label: '提交绩效自评', roles: ['unit'], method: 'POST', path: (p) => `${C(p)}/self-evaluations`, type: 'primary', rule: 'R-24.1',
    when: (c) => accepted(c) && !c.project?.self_evaluation_rating,
    fields: [{ name: 'rating', label: '自评等级', type: 'select', required: true, default: 'good', options: RATINGS },
      { name: 'report', label: '自评报告', type: 'textarea', required: true }] },
  { key: 'post-evaluation', group: '评价', label: '录入后评价', roles: ['bdb', 'third_party'], method: 'POST', path: (p) => `${C(p)}/post-evaluations`, rule: 'R-24.2',
    when: (c) => accepted(c) && !c.project?.post_evaluation_rating,
    fields: [{ name: 'rating', label: '评价等级', type: 'select', required: true, default: 'good', options: RATINGS },
      { name: 'report', label: '后评价报告', type: 'textarea', required: true }] },
]

/** The actions on one rectification order: the unit answers, the ordering department verifies. */
export function rectificationActions(r: Record<string, any>, roles: string[]): Action[] {
  const base = `/api/v1/oversight/rectifications/${r.id}`
  const out: Action[] = []
  if (roles.includes('unit') && ['open', 'overdue', 'non_compliant'].includes(r.status))
    out.push({ key: `close-${r.id}`, group: '监管', label: '回复整改', roles: ['unit'], method: 'POST', path: () => `${base}/close`, rule: 'R-30.1',
      fields: [{ name: 'evidence', label: '整改情况及佐证', type: 'textarea', required: true }] })
  if (r.status === 'answered' && (!r.ordered_by || roles.includes(r.ordered_by)) && !roles.includes('unit'))
    out.push({ key: `verify-${r.id}`, group: '监管', label: '核验整改', roles: [], method: 'POST', path: () => `${base}/verification`, rule: 'R-30.1',
      fields: [{ name: 'result', label: '核验结论', type: 'select', required: true, default: 'closed', options: opts({ closed: '整改到位，予以销号', non_compliant: '整改不到位' }) },
        { name: 'opinion', label: '核验意见', type: 'textarea', required: true }] })
  return out
}

/** bdb confirms or returns a unit's funding request against the funding plan. */
export function fundingRequestActions(r: Record<string, any>, roles: string[]): Action[] {
  if (!roles.includes('bdb') || r.status !== 'submitted') return []
  return [{ key: `decide-${r.id}`, group: '资金', label: '确认资金申请', roles: ['bdb'], method: 'POST', path: () => `/api/v1/budget/funding-requests/${r.id}/decision`, rule: 'R-5.1',
    fields: [{ name: 'decision', label: '结论', type: 'select', required: true, default: 'confirm', options: opts({ confirm: '确认', return: '退回' }) },
      { name: 'opinion', label: '意见', type: 'textarea', default: '符合年度资金计划' }] }]
}

export function actionsFor(roles: string[], ctx: Ctx, group?: string): Action[] {
  return ACTIONS.filter((a) => (!group || a.group === group) && a.roles.some((r) => roles.includes(r)) && (!a.when || a.when(ctx)))
}

export function defaults(a: Action): Record<string, any> {
  const out: Record<string, any> = {}
  for (const f of a.fields) {
    if (f.default !== undefined) out[f.name] = f.default
    else if (f.type === 'bool') out[f.name] = false
    else if (f.type === 'date' && f.required) out[f.name] = today()
    else out[f.name] = f.type === 'int' ? undefined : ''
  }
  return out
}

/** The form as the API wants it: lists split, empty optional values left out, ints as numbers. */
export function toBody(a: Action, form: Record<string, any>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const f of a.fields) {
    let v = form[f.name]
    if (f.type === 'list') v = typeof v === 'string' ? v.split(/[\n,，、]/).map((s) => s.trim()).filter(Boolean) : v || []
    if (f.type === 'int' && v !== '' && v !== undefined && v !== null) v = Number(v)
    if (f.type === 'money' && typeof v === 'string') v = v.replace(/[,，\s]/g, '')
    if ((v === '' || v === undefined || v === null) && !f.required) continue
    out[f.name] = v
  }
  return a.body ? (a.body(out) as Record<string, unknown>) : out
}

export { CATEGORY }
