// Every visible code → its Chinese name (statuses, categories, stages, kinds).
export const PROJECT_STATUS: Record<string, string> = {
  declared: '已申报', admitted: '已入库', refused: '未入库', under_review: '审核中', rejected: '未通过审批',
  approved: '已批复', in_construction: '建设中', in_acceptance: '验收中', final_accepted: '已终验',
  suspended: '已暂停', terminated: '已终止', unknown: '未知',
}
export const STAGES = [
  { key: 'declared', title: '申报' }, { key: 'admitted', title: '入库' }, { key: 'under_review', title: '审核' },
  { key: 'approved', title: '批复' }, { key: 'in_construction', title: '建设' }, { key: 'in_acceptance', title: '验收' },
  { key: 'final_accepted', title: '终验' }, { key: 'evaluated', title: '评价' },
]
export const CATEGORY: Record<string, string> = {
  infrastructure: '基础设施', data_resources: '数据资源', application_support: '应用支撑',
  business_application: '业务应用', network_security: '网络安全', other_system: '其他政务信息系统',
}
export const RAG: Record<string, { label: string; type: 'success' | 'warning' | 'danger' | 'info' }> = {
  green: { label: '正常', type: 'success' }, amber: { label: '预警', type: 'warning' }, red: { label: '严重', type: 'danger' },
}
export const ROUTE: Record<string, string> = { window: '申报窗口', annual: '年度申报', supplement: '半年增补', special_addition: '专项增补', emergency: '应急项目' }
export const DECLARATION_STATUS: Record<string, string> = {
  draft: '草稿', submitted: '已提交', emergency: '应急登记', awaiting_consultation: '待会商', admitted: '已入库',
  refused: '未入库', withdrawn: '已撤回', missed_window: '错过窗口',
}
export const APPLICATION_STATUS: Record<string, string> = { open: '待提交', under_review: '审核中', approved: '已批复', rejected: '未通过' }
export const ACCEPTANCE_PATH: Record<string, string> = { standard: '标准验收', merged: '初验终验合并', classified: '涉密项目验收', on_behalf: '代建项目验收' }
export const ACCEPTANCE_STAGE: Record<string, string> = {
  construction: '建设中', preliminary_accepted: '已初验', trial_operation: '试运行', final_applied: '已申请终验', final_accepted: '已终验',
}
export const CHECK_RESULT: Record<string, { label: string; type: 'success' | 'warning' | 'danger' }> = {
  pass: { label: '通过', type: 'success' }, flag: { label: '提示', type: 'warning' }, fail: { label: '不通过', type: 'danger' },
}
export const RATING: Record<string, string> = { excellent: '优秀', good: '良好', fair: '一般', inefficient: '低效' }
export const EVENT_TYPE: Record<string, string> = {
  ProjectDeclared: '项目申报', EmergencyProjectRegistered: '应急项目登记', DeclarationSubmitted: '申报提交',
  ProjectAdmittedToReserve: '纳入储备库', DeclarationRefused: '未纳入储备库', ReviewStarted: '开始审核',
  MaterialAdded: '上传材料', ComplianceDeclared: '合规声明', ExpertReviewRecorded: '专家评审', JointReviewDecided: '联合会审',
  LeadingGroupDecided: '领导小组审定', TechnicalOpinionIssued: '技术审核意见', ApprovalDocumentIssued: '批复文件',
  ProjectApproved: '项目批复', ProjectRejected: '审批未通过', ProjectCodeAssigned: '赋码', EstimateReviewOpened: '概算评审启动',
  EstimateReviewed: '概算评审', ContractRegistered: '合同登记', DisbursementMade: '资金拨付', ProgressReported: '季度报告',
  ConstructionFiled: '建设信息备案', RectificationOrdered: '整改通知', RectificationClosed: '整改完成', SanctionImposed: '处理措施',
  ProjectSuspended: '项目暂停', ProjectResumed: '项目恢复', ProjectTerminated: '项目终止', PreliminaryAccepted: '初步验收',
  TrialOperationStarted: '试运行', FinalAcceptanceApplied: '申请终验', FinalAccepted: '竣工验收', SelfEvaluationSubmitted: '绩效自评',
  PostEvaluationCompleted: '后评价', ArchivesAccepted: '档案验收', SecurityAssessed: '安全测评', IncidentReported: '重大事项报告',
  ReturnedForRevision: '退回补正', SurplusReturned: '结余资金收回', ApplicationOpened: '审批受理', ApplicationSubmitted: '提交审核',
  ComplianceChecked: '自动审查', AcceptancePathChosen: '确定验收路径', ContractRecorded: '合同登记', DisbursementRecorded: '资金拨付',
  AcceptanceProfileUpdated: '验收信息更新', RegistrySystemAdded: '系统登记入册', SecurityAssessmentRecorded: '安全测评',
  ArchivesAcceptanceRecorded: '档案验收', EstimateReviewRequested: '概算评审启动', ReconciliationFlagged: '资金核对异常',
}

/** "1234567.8" → "1,234,567.80" without ever going through a float. */
export function yuan(v?: string | null): string {
  if (v === null || v === undefined || v === '') return '—'
  const neg = v.startsWith('-')
  const [int, frac = ''] = (neg ? v.slice(1) : v).split('.')
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${neg ? '-' : ''}${grouped}.${(frac + '00').slice(0, 2)}`
}

/** yuan string → 万元 with two decimals, for charts only (display, never arithmetic on money). */
export function wan(v?: string | null): number {
  if (!v) return 0
  const [int, frac = ''] = v.split('.')
  const fen = BigInt(int + (frac + '00').slice(0, 2))
  return Number(fen / 100n) / 10000 + Number(fen % 100n) / 1000000
}

export function label(map: Record<string, string>, key?: string | null): string {
  return key ? map[key] || key : '—'
}
