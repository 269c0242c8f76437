// Who is signed in: the token (dev sign-in or OpenID Connect), its claims, and the gateway's sign-in
// configuration. The token lives in sessionStorage (gone with the tab); expiry signs the user out.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'

export interface Claims { sub: string; name?: string; org: string; roles: string[]; exp?: number }
export interface DemoIdentity { role: string; org: string; name: string; org_name?: string; label?: string }
export interface AuthConfig {
  env: string
  dev_sign_in: boolean
  demo_identities: DemoIdentity[]
  oidc: { issuer: string; client_id: string; scope?: string } | null
}

const KEY = 'govpm.token'

export function decodeJwt(token: string): Claims | null {
  try {
    const part = token.split('.')[1]
    const json = decodeURIComponent(escape(atob(part.replace(/-/g, '+').replace(/_/g, '/'))))
    const c = JSON.parse(json)
    const roles = Array.isArray(c.roles) ? c.roles : typeof c.roles === 'string' ? c.roles.split(/[ ,]/) : []
    return { sub: c.sub, name: c.name, org: c.org, roles, exp: c.exp }
  } catch {
    return null
  }
}

export const ROLE_NAMES: Record<string, string> = {
  unit: '项目建设单位', bdb: '市大数据管理局', bdc: '市大数据管理中心', finance: '市财政局',
  approval_bureau: '市行政审批局', ndrc: '市发改委', leading_group: '"数字盐城"建设领导小组', cac: '市委网信办',
  crypto: '市国家密码管理局', secrecy: '市国家保密局', police: '市公安局', expert: '评审专家',
  supervisor: '工程监理单位', contractor: '项目承建单位', big_data_group: '市大数据集团', third_party: '第三方咨询机构',
  admin: '系统管理员', competent_dept: '项目主管部门', archives: '市档案馆',
}

export const useAuth = defineStore('auth', () => {
  const token = ref<string | null>(sessionStorage.getItem(KEY))
  const config = ref<AuthConfig | null>(null)
  let timer: ReturnType<typeof setTimeout> | undefined

  const claims = computed(() => (token.value ? decodeJwt(token.value) : null))
  const roles = computed(() => claims.value?.roles || [])
  const signedIn = computed(() => {
    const c = claims.value
    return !!c && (!c.exp || c.exp * 1000 > Date.now())
  })
  const displayName = computed(() => {
    const c = claims.value
    if (!c) return ''
    const role = c.roles.map((r) => ROLE_NAMES[r] || r).join('、')
    return `${c.name || c.sub}（${role}·${c.org}）`
  })

  function hasRole(...want: string[]) {
    return want.some((r) => roles.value.includes(r))
  }

  function setToken(t: string | null, onExpire?: () => void) {
    token.value = t
    if (t) sessionStorage.setItem(KEY, t)
    else sessionStorage.removeItem(KEY)
    if (timer) clearTimeout(timer)
    const exp = t ? decodeJwt(t)?.exp : undefined
    if (exp && onExpire) {
      const ms = exp * 1000 - Date.now()
      timer = setTimeout(onExpire, Math.max(0, Math.min(ms, 2 ** 31 - 1)))
    }
  }

  async function loadConfig(): Promise<AuthConfig> {
    if (config.value) return config.value
    const r = await fetch('/auth/config')
    config.value = r.ok ? await r.json() : { env: 'prod', dev_sign_in: false, demo_identities: [], oidc: null }
    return config.value as AuthConfig
  }

  async function devSignIn(identity: DemoIdentity, onExpire?: () => void): Promise<void> {
    const r = await fetch('/auth/dev-token', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ role: identity.role, org: identity.org, name: identity.name }),
    })
    const body = await r.json().catch(() => ({}))
    if (!r.ok) throw new Error(body.detail || '登录失败')
    setToken(body.access_token, onExpire)
  }

  return { token, config, claims, roles, signedIn, displayName, hasRole, setToken, loadConfig, devSignIn }
})
