// The documents the services generated for a project (技术审核意见, 项目批复草稿, 概算评审意见, 验收意见,
// 整改通知书): `GET /api/v1/<service>/projects/{id}/generated-documents` of each service that generates
// them, merged in the order they were made. A service that does not know the project (404) has none.
import type { components } from './schema'
import { api } from './client'
import { ApiError, toProblem } from './problem'

export type GeneratedItem = components['schemas']['approval__GeneratedItem']
export type GeneratedFile = NonNullable<GeneratedItem['docx']>
export type GeneratingService = 'approval' | 'budget' | 'acceptance' | 'oversight'
export type Generated = GeneratedItem & { service: GeneratingService }

const page = (project_id: string) => ({ params: { path: { project_id }, query: { limit: 200 } } })
const LISTS: Record<GeneratingService, (id: string) => Promise<{ data?: { items: GeneratedItem[] }; error?: unknown; response: Response }>> = {
  approval: (id) => api.GET('/api/v1/approval/projects/{project_id}/generated-documents', page(id)),
  budget: (id) => api.GET('/api/v1/budget/projects/{project_id}/generated-documents', page(id)),
  acceptance: (id) => api.GET('/api/v1/acceptance/projects/{project_id}/generated-documents', page(id)),
  oversight: (id) => api.GET('/api/v1/oversight/projects/{project_id}/generated-documents', page(id)),
}

/** Every service's list as one, oldest first (ties: by document number, then id). */
export function mergeGenerated(lists: Partial<Record<GeneratingService, GeneratedItem[]>>): Generated[] {
  const out: Generated[] = []
  for (const [service, items] of Object.entries(lists) as [GeneratingService, GeneratedItem[]][]) {
    for (const item of items || []) out.push({ ...item, service })
  }
  return out.sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.document_no.localeCompare(b.document_no) || a.id.localeCompare(b.id))
}

/** The day a document was made, as a date in Asia/Shanghai (YYYY-MM-DD). */
export function madeOn(createdAt: string): string {
  return new Date(createdAt).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
}

export async function listGenerated(projectId: string): Promise<Generated[]> {
  const lists: Partial<Record<GeneratingService, GeneratedItem[]>> = {}
  await Promise.all((Object.keys(LISTS) as GeneratingService[]).map(async (s) => {
    const { data, error, response } = await LISTS[s](projectId)
    if (response.status === 404) return
    if (!response.ok) throw new ApiError(toProblem(response.status, error))
    lists[s] = data?.items || []
  }))
  return mergeGenerated(lists)
}
