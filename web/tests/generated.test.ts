import { describe, expect, it } from 'vitest'
import { madeOn, mergeGenerated, type GeneratedItem } from '@/api/generated'
import { actionsFor } from '@/actions'

function item(id: string, created_at: string, document_no: string, kind = 'technical_opinion'): GeneratedItem {
  const file = { id: `${id}-f`, filename: `${id}.docx`, content_type: 'x', size: 1, sha256: 'a', sm3: 'b', download: `/api/v1/approval/documents/${id}-f` }
  return {
    id, project_id: 'p', kind, kind_label: '技术审核意见', document_no, issuer: '盐城市大数据管理局',
    rules: [{ rule: 'R-10.1', article: '第十条', basis: 'article' }], created_by: 'u', created_by_org: 'BDB', created_at, docx: file, pdf: file,
  } as GeneratedItem
}

describe('generated documents', () => {
  it('merges every service list oldest first, keeping which service made each', () => {
    const merged = mergeGenerated({
      budget: [item('b1', '2027-03-02T08:00:00Z', '概审〔2027〕1号', 'estimate_review')],
      approval: [item('a2', '2027-03-05T01:00:00Z', '盐数审〔2027〕2号'), item('a1', '2027-03-01T01:00:00Z', '盐数审〔2027〕1号')],
      acceptance: [],
    })
    expect(merged.map((d) => [d.id, d.service])).toEqual([['a1', 'approval'], ['b1', 'budget'], ['a2', 'approval']])
  })

  it('orders documents made at the same moment by number', () => {
    const t = '2027-03-01T01:00:00Z'
    expect(mergeGenerated({ approval: [item('x', t, 'B号'), item('y', t, 'A号')] }).map((d) => d.id)).toEqual(['y', 'x'])
  })

  it('dates a document by the day in Shanghai, not UTC', () => {
    expect(madeOn('2027-03-01T16:30:00Z')).toBe('2027-03-02')
    expect(madeOn('2027-03-01T15:59:00Z')).toBe('2027-03-01')
  })

  it('offers the bdb to generate the technical opinion once its number is recorded, while under review', () => {
    const keys = (application: Record<string, unknown>) => actionsFor(['bdb'], { application }).map((a) => a.key)
    expect(keys({ status: 'under_review' })).not.toContain('generate-technical-opinion')
    expect(keys({ status: 'under_review', technical_opinion_no: '盐数技审〔2026〕1号' })).toContain('generate-technical-opinion')
    expect(keys({ status: 'approved', technical_opinion_no: '盐数技审〔2026〕1号' })).not.toContain('generate-technical-opinion')
    expect(actionsFor(['unit'], { application: { status: 'under_review', technical_opinion_no: 'x' } }).map((a) => a.key)).not.toContain('generate-technical-opinion')
  })
})
