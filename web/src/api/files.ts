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

export async function uploadMaterial(projectId: string, kind: string, file: File, onProgress?: (step: string) => void): Promise<void> {
  onProgress?.('计算文件摘要…')
  const sha256 = await sha256Hex(file)
  let uri: string | undefined
  if (await documentsSupported('approval', projectId)) {
    onProgress?.('上传文件…')
    const form = new FormData()
    form.append('kind', kind)
    form.append('file', file, file.name)
    const doc = await raw<{ id: string }>('POST', `/api/v1/approval/projects/${projectId}/documents`, form)
    uri = `/api/v1/approval/documents/${doc.id}`
  }
  onProgress?.('登记材料…')
  await raw('POST', `/api/v1/approval/applications/${projectId}/materials`, { kind, title: file.name, sha256, ...(uri ? { uri } : {}) },
    { headers: { 'Idempotency-Key': `${projectId}-${kind}-${sha256}` } })
}
