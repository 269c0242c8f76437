// RFC 9457 problem+json as the services send it: a refusal names its rule and article, a 409 lists
// every unmet condition in `violations`, a 422 names the field (FastAPI `errors[].loc` or `violations[].field`).
import rules from '@/rules.json'

export interface Violation { rule?: string; article?: string; message?: string; field?: string; loc?: (string | number)[] }
export interface Problem {
  type?: string; title?: string; status: number; detail?: string
  rule?: string | null; article?: string | null; violations?: Violation[]; errors?: Violation[]
  field?: string
}

export class ApiError extends Error {
  constructor(public problem: Problem) {
    super(problem.detail || problem.title || `请求失败（${problem.status}）`)
  }
}

const RULES = rules as Record<string, string>

/** The catalogue text of a rule id (shown on hover next to its article). */
export function ruleText(rule?: string | null): string {
  return (rule && RULES[rule]) || ''
}

/** Turn any failed response body into a Problem (a proxy or a crash may send HTML or nothing). */
export function toProblem(status: number, body: unknown): Problem {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>
    if (typeof b.detail === 'string' || b.title || b.violations) return { ...(b as object), status } as Problem
    if (Array.isArray(b.detail)) {  // FastAPI's own validation shape
      const errors = (b.detail as { loc?: (string | number)[]; msg?: string }[]).map((e) => ({ loc: e.loc, message: e.msg }))
      return { status, title: '输入有误', detail: errors.map((e) => e.message).join('；'), errors }
    }
  }
  const fallback: Record<number, string> = {
    401: '登录已失效，请重新登录', 403: '当前身份无权执行此操作', 404: '未找到，或无权查看',
    413: '文件过大', 429: '请求过于频繁，请稍后重试', 502: '服务暂不可用，请稍后重试', 503: '服务暂不可用，请稍后重试',
  }
  return { status, title: fallback[status] || `请求失败（${status}）`, detail: fallback[status] || `请求失败（${status}）` }
}

/** The form fields a 422 names (last path element of each error location, or `field`). */
export function problemFields(p: Problem | null | undefined): string[] {
  if (!p) return []
  const out = new Set<string>()
  if (p.field) out.add(p.field)
  for (const v of [...(p.violations || []), ...(p.errors || [])]) {
    if (v.field) out.add(String(v.field).split('.').pop() as string)
    const loc = v.loc?.filter((x) => x !== 'body' && typeof x === 'string') as string[] | undefined
    if (loc && loc.length) out.add(loc[loc.length - 1])
  }
  return [...out]
}

/** Every rule a problem cites (the problem's own and its violations'). */
export function problemRules(p: Problem): { rule: string; article?: string; message?: string }[] {
  const out: { rule: string; article?: string; message?: string }[] = []
  for (const v of p.violations || []) if (v.rule) out.push({ rule: v.rule, article: v.article, message: v.message })
  if (p.rule && !out.some((v) => v.rule === p.rule)) out.unshift({ rule: p.rule, article: p.article || undefined, message: p.detail })
  return out
}
