// The typed API client: openapi-fetch over the types generated from the gateway's merged OpenAPI
// (`npm run gen:api`). One middleware adds the signed-in user's token; a 401 sends the user back to
// sign-in, keeping the page they were on.
import createClient, { type Middleware } from 'openapi-fetch'
import type { paths } from './schema'
import { ApiError, toProblem } from './problem'

let tokenGetter: () => string | null = () => null
let onUnauthorized: () => void = () => {}

export function configureClient(opts: { token: () => string | null; unauthorized: () => void }) {
  tokenGetter = opts.token
  onUnauthorized = opts.unauthorized
}

const auth: Middleware = {
  onRequest({ request }) {
    const t = tokenGetter()
    if (t) request.headers.set('Authorization', `Bearer ${t}`)
    return request
  },
  onResponse({ response }) {
    if (response.status === 401) onUnauthorized()
    return response
  },
}

export const api = createClient<paths>({ baseUrl: '' })
api.use(auth)

/** Unwrap an openapi-fetch result: the data, or throw an ApiError carrying the problem. */
export async function must<T>(p: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await p
  if (!response.ok) throw new ApiError(toProblem(response.status, error))
  return data as T
}

/** A raw call for paths the generated types do not know yet (or untyped bodies such as multipart). */
export async function raw<T = unknown>(method: string, path: string, body?: unknown, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers)
  const t = tokenGetter()
  if (t) headers.set('Authorization', `Bearer ${t}`)
  let payload: BodyInit | undefined
  if (body instanceof FormData) payload = body
  else if (body !== undefined) { headers.set('Content-Type', 'application/json'); payload = JSON.stringify(body) }
  const r = await fetch(path, { ...init, method, headers, body: payload })
  if (r.status === 401) onUnauthorized()
  const text = await r.text()
  let json: unknown = null
  try { json = text ? JSON.parse(text) : null } catch { json = null }
  if (!r.ok) throw new ApiError(toProblem(r.status, json))
  return json as T
}

/** Download a response as a file (exports: `?format=xlsx`). */
export async function download(path: string, filename: string): Promise<void> {
  const headers = new Headers()
  const t = tokenGetter()
  if (t) headers.set('Authorization', `Bearer ${t}`)
  const r = await fetch(path, { headers })
  if (r.status === 401) onUnauthorized()
  if (!r.ok) {
    let j: unknown = null
    try { j = await r.json() } catch { /* not json */ }
    throw new ApiError(toProblem(r.status, j))
  }
  saveBlob(await r.blob(), filename)
}

export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** Upload a multipart form with progress (XMLHttpRequest: fetch has no upload progress). `onProgress`
 *  gets the share sent (0–1); the promise resolves with the JSON answer or throws an ApiError. */
export function upload<T = unknown>(path: string, form: FormData, onProgress: (sent: number) => void, headers: Record<string, string> = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', path)
    const t = tokenGetter()
    if (t) xhr.setRequestHeader('Authorization', `Bearer ${t}`)
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v)
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total) }
    xhr.upload.onload = () => onProgress(1)
    xhr.onerror = () => reject(new ApiError({ status: 0, detail: '网络中断，文件未上传完成，请重试' }))
    xhr.onload = () => {
      if (xhr.status === 401) onUnauthorized()
      let json: unknown = null
      try { json = xhr.responseText ? JSON.parse(xhr.responseText) : null } catch { json = null }
      if (xhr.status >= 200 && xhr.status < 300) resolve(json as T)
      else reject(new ApiError(toProblem(xhr.status, json)))
    }
    xhr.send(form)
  })
}
