import { describe, expect, it } from 'vitest'
import { problemFields, problemRules, ruleText, toProblem } from '@/api/problem'

describe('problem+json', () => {
  it('keeps a refusal with its rule, article and violations', () => {
    const p = toProblem(409, {
      title: '规则冲突', detail: '拨付前置条件不满足', rule: 'R-26.1', article: '第二十六条',
      violations: [{ rule: 'R-26.1', article: '第二十六条', message: '缺少合同' }, { rule: 'R-30.2', article: '第三十条', message: '已暂停' }],
    })
    expect(p.status).toBe(409)
    expect(problemRules(p).map((r) => r.rule)).toEqual(['R-26.1', 'R-30.2'])
  })

  it('names the fields of a 422 (nested and FastAPI shapes)', () => {
    const ours = toProblem(422, { detail: '输入不合规：estimated_investment', violations: [{ field: 'estimated_investment', message: 'x' }, { field: 'cross_department.lead_org' }] })
    expect(problemFields(ours)).toEqual(['estimated_investment', 'lead_org'])
    const fastapi = toProblem(422, { detail: [{ loc: ['body', 'title'], msg: 'Field required' }] })
    expect(problemFields(fastapi)).toEqual(['title'])
    expect(problemFields(toProblem(422, { detail: '未知角色', field: 'role' }))).toEqual(['role'])
  })

  it('gives a Chinese message for a body that is not a problem', () => {
    expect(toProblem(502, '<html>').detail).toBe('服务暂不可用，请稍后重试')
    expect(toProblem(404, null).detail).toContain('无权查看')
  })

  it('knows the catalogue text of a rule for the hover', () => {
    expect(ruleText('R-26.1')).toMatch(/\S/)
    expect(ruleText('R-999.9')).toBe('')
  })
})
