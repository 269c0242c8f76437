import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import ProblemAlert from '@/components/ProblemAlert.vue'
import RuleTag from '@/components/RuleTag.vue'
import { ACTIONS, actionsFor, defaults, toBody } from '@/actions'
import { wan, yuan } from '@/labels'
import { daysBetween, sortTodos, type Todo } from '@/stores/todos'
import { decodeJwt, useAuth } from '@/stores/auth'

const global = {}

describe('ProblemAlert', () => {
  it('shows the refusal, its article and every violation, naming fields in Chinese', () => {
    const w = mount(ProblemAlert, {
      global,
      props: {
        problem: { status: 422, detail: '输入不合规：estimated_investment', violations: [{ field: 'estimated_investment', message: 'Value error, 金额格式不正确' }] },
        fieldLabels: { estimated_investment: '估算投资' },
      },
    })
    expect(w.text()).toContain('输入有误')
    expect(w.text()).toContain('「估算投资」金额格式不正确')
  })

  it('shows the article beside a rule refusal', () => {
    const w = mount(ProblemAlert, {
      global,
      props: { problem: { status: 409, detail: '缺少合同', rule: 'R-26.1', article: '第二十六条', violations: [{ rule: 'R-26.1', article: '第二十六条', message: '缺少合规的政府采购合同' }] } },
    })
    expect(w.text()).toContain('第二十六条')
    expect(w.text()).toContain('R-26.1')
    expect(w.text()).toContain('缺少合规的政府采购合同')
  })

  it('renders nothing without a problem', () => {
    expect(mount(ProblemAlert, { global, props: { problem: null } }).text()).toBe('')
  })
})

describe('RuleTag', () => {
  it('is focusable and carries the rule text for the hover', () => {
    const w = mount(RuleTag, { global, props: { rule: 'R-2.2', article: '第二条' } })
    const tag = w.find('[data-testid="rule-tag"]')
    expect(tag.attributes('tabindex')).toBe('0')
    expect(tag.attributes('aria-label')).toMatch(/R-2\.2 第二条：.+/)
  })
})

describe('actions', () => {
  const acceptance = { stage: 'construction', next_steps: [{ step: 'trial_operation' }], missing: [] }
  it('offers acceptance steps only from the API next_steps and only to the roles that may act', () => {
    const keys = (roles: string[]) => actionsFor(roles, { acceptance, project: { status: 'approved' } }, '验收').map((a) => a.key)
    expect(keys(['unit'])).toContain('trial-operation')
    expect(keys(['unit'])).not.toContain('preliminary')
    expect(keys(['unit'])).not.toContain('final')
    expect(keys(['finance'])).toEqual([])
  })
  it('offers the review steps while the application is under review', () => {
    const ctx = { application: { status: 'under_review', joint_decision: null, leading_group_required: false } }
    expect(actionsFor(['bdb'], ctx, '审批').map((a) => a.key)).toEqual(['expert-review', 'joint-review', 'technical-opinion', 'return'])
    expect(actionsFor(['unit'], ctx, '审批')).toEqual([])
    expect(actionsFor(['leading_group'], { application: { ...ctx.application, leading_group_required: true } }, '审批').map((a) => a.key)).toEqual(['leading-group'])
  })
  it('builds request bodies: lists split, money cleaned, empty optional fields left out', () => {
    const a = ACTIONS.find((x) => x.key === 'approval-document')!
    expect(toBody(a, { ...defaults(a), document_no: 'PF-1', approved_investment: '' })).toEqual({ document_no: 'PF-1', construction_months: 12 })
    const r = ACTIONS.find((x) => x.key === 'return')!
    expect(toBody(r, { reasons: '缺少可研\n预算不实' })).toEqual({ reasons: ['缺少可研', '预算不实'] })
    const c = ACTIONS.find((x) => x.key === 'contract')!
    expect(toBody(c, { ...defaults(c), amount: '1,200,000.50' }).amount).toBe('1200000.50')
  })
})

describe('money and clocks', () => {
  it('formats yuan without floats', () => {
    expect(yuan('1999999.99')).toBe('1,999,999.99')
    expect(yuan('300000')).toBe('300,000.00')
    expect(yuan(null)).toBe('—')
    expect(wan('12345.67')).toBeCloseTo(1.234567, 6)
  })
  it('counts days and puts overdue to-dos first', () => {
    expect(daysBetween('2026-12-03', '2026-12-01')).toBe(-2)
    const t = (key: string, due: string | null, overdue: boolean): Todo => ({ key, title: key, task: key, due_on: due, overdue, link: '/' })
    expect(sortTodos([t('a', '2027-01-15', false), t('b', null, false), t('c', '2026-11-30', true), t('d', '2026-12-10', false)]).map((x) => x.key))
      .toEqual(['c', 'd', 'a', 'b'])
  })
})

describe('auth store', () => {
  it('reads the claims of a token and who may do what', () => {
    setActivePinia(createPinia())
    const payload = btoa(JSON.stringify({ sub: 's', org: 'ORG-001', roles: ['unit'], name: '张三'.length ? 'zhang' : '', exp: 4102444800 }))
    const token = `e30.${payload}.sig`
    expect(decodeJwt(token)?.org).toBe('ORG-001')
    const auth = useAuth()
    auth.setToken(token)
    expect(auth.signedIn).toBe(true)
    expect(auth.hasRole('unit')).toBe(true)
    expect(auth.hasRole('bdb')).toBe(false)
    expect(auth.displayName).toContain('项目建设单位')
    auth.setToken(null)
    expect(auth.signedIn).toBe(false)
  })
})
