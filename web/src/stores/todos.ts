// 工作台 to-dos: every open obligation of the signed-in role and org with its clock, from the
// API's own clocks and queues; overdue first, then by due date.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { raw } from '@/api/client'

export interface Todo {
  key: string; title: string; task: string; due_on?: string | null; days_left?: number | null
  overdue: boolean; rule?: string; article?: string; link: string; org?: string
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to + 'T00:00:00Z') - Date.parse(from + 'T00:00:00Z')) / 86_400_000)
}

export function todayShanghai(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)
}

export function sortTodos(list: Todo[]): Todo[] {
  return [...list].sort((a, b) => Number(b.overdue) - Number(a.overdue) || (a.due_on || '9999').localeCompare(b.due_on || '9999'))
}

type Any = Record<string, any>
const items = (x: unknown): Any[] => (Array.isArray(x) ? x : ((x as Any)?.items as Any[]) || [])

function clock(due: string | null | undefined, today: string) {
  if (!due) return { due_on: null, days_left: null, overdue: false }
  const d = daysBetween(today, due)
  return { due_on: due, days_left: d, overdue: d < 0 }
}

export const useTodos = defineStore('todos', () => {
  const list = ref<Todo[]>([])
  const loading = ref(false)
  const failed = ref<string[]>([])

  async function load(roles: string[]) {
    loading.value = true
    failed.value = []
    const today = todayShanghai()
    const out: Todo[] = []
    const has = (...r: string[]) => r.some((x) => roles.includes(x))
    const sources: [string, Promise<void>][] = []
    const add = (name: string, p: () => Promise<void>) => sources.push([name, p()])

    add('储备库时钟', async () => {
      const c = await raw<Any>('GET', '/api/v1/reserve/clocks?within_days=30')
      for (const w of c.windows || []) out.push({ key: `w-${w.window_id}`, title: `${w.library_year} 年度${w.kind === 'annual' ? '申报' : '增补'}窗口`,
        task: w.message, ...clock(w.closes_on, today), rule: w.rule, article: w.article, link: has('unit') ? '/console/declare' : '/console/projects' })
      for (const d of c.declarations || []) out.push({ key: `d-${d.project_id}`, title: d.title, task: d.message,
        ...clock(d.due_on, today), overdue: !!d.overdue, rule: d.rule, article: d.article, link: `/console/projects/${d.project_id}`, org: d.org })
    })
    if (has('unit')) {
      add('我的项目', async () => {
        const page = await raw<Any>('GET', '/api/v1/projects?limit=200')
        for (const p of items(page)) {
          const c = p.clocks || {}
          const link = `/console/projects/${p.project_id}`
          if (['declared', 'admitted'].includes(p.status)) {
            out.push({ key: `a-${p.project_id}`, title: p.title, task: '补充审批材料和合规声明并提交审核', ...clock(null, today), rule: 'R-10.1', article: '第十条', link })
          }
          if (c.next_report_due_on && !p.clocks?.final_accepted_on)
            out.push({ key: `r-${p.project_id}`, title: p.title, task: '报送季度建设进展', ...clock(c.next_report_due_on, today), rule: 'R-18.1', article: '第十八条', link })
          if (c.earliest_rectification_deadline)
            out.push({ key: `z-${p.project_id}`, title: p.title, task: '按期完成整改', ...clock(c.earliest_rectification_deadline, today), rule: 'R-30.1', article: '第三十条', link })
          if (c.self_evaluation_opens_on && !p.self_evaluation_rating && c.self_evaluation_opens_on <= today)
            out.push({ key: `s-${p.project_id}`, title: p.title, task: '提交绩效自评', ...clock(c.self_evaluation_closes_on, today), rule: 'R-24.1', article: '第二十四条', link })
          if (c.planned_completion_on && !c.final_accepted_on)
            out.push({ key: `f-${p.project_id}`, title: p.title, task: '按期完成竣工验收', ...clock(c.planned_completion_on, today), rule: 'R-21.5', article: '第二十一条', link })
        }
      })
    }
    if (has('bdb', 'approval_bureau', 'expert', 'leading_group')) {
      add('待审核申请', async () => {
        for (const a of items(await raw('GET', '/api/v1/approval/applications?status=under_review&limit=200')))
          out.push({ key: `rv-${a.project_id}`, title: a.title, task: '审核项目申请（专家评审、联合会审、审定、批复）', ...clock(null, today),
            rule: 'R-11.1', article: '第十一条', link: `/console/review/${a.project_id}`, org: a.org })
      })
    }
    if (has('finance')) {
      add('概算评审', async () => {
        for (const r of items(await raw('GET', '/api/v1/budget/estimate-reviews?status=open&limit=200')))
          out.push({ key: `er-${r.project_id}`, title: `概算评审 ${String(r.project_id).slice(0, 8)}`, task: '完成投资概算评审',
            ...clock(r.due_on, today), overdue: !!r.overdue, rule: r.rule || 'R-25.1', article: r.article || '第二十五条', link: `/console/review/${r.project_id}` })
      })
    }
    if (has('bdb', 'finance', 'bdc')) {
      add('逾期季度报告', async () => {
        for (const r of items(await raw('GET', '/api/v1/oversight/progress-reports/overdue?limit=200')))
          out.push({ key: `or-${r.project_id}-${r.year}-${r.quarter}`, title: r.title || r.project_id, task: `${r.year} 年第 ${r.quarter} 季度进展报告逾期未报`,
            ...clock(r.due_on, today), overdue: true, rule: r.rule, article: r.article, link: `/console/projects/${r.project_id}`, org: r.org })
      })
      add('逾期整改', async () => {
        for (const r of items(await raw('GET', '/api/v1/oversight/rectifications/overdue?limit=200')))
          out.push({ key: `oz-${r.id || r.rectification_id}`, title: r.title || r.project_id, task: `整改逾期：${r.finding || ''}`,
            ...clock(r.deadline, today), overdue: true, rule: r.rule || 'R-30.2', article: r.article || '第三十条', link: `/console/projects/${r.project_id}`, org: r.org })
      })
    }
    const results = await Promise.allSettled(sources.map(([, p]) => p))
    failed.value = sources.filter((_, i) => results[i].status === 'rejected').map(([n]) => n)
    list.value = sortTodos(out)
    loading.value = false
  }

  return { list, loading, failed, load }
})
