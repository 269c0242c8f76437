// A local OpenID Connect provider for the browser tests (the `oidc-provider` package): one public
// client for the console (authorisation code, PKCE required), a login page of its own with one test
// user, JWT access tokens for the GovPM API carrying the user's name, org and roles, RP-initiated
// sign-out. Started by tests/e2e/test_console_e2e.py:
//   node e2e/oidc-provider.mjs   (env OIDC_PORT, CONSOLE_ORIGIN; prints "ready <issuer>")
import { createServer } from 'node:http'
import { generateKeyPairSync } from 'node:crypto'
import Provider, { errors } from 'oidc-provider'

const PORT = Number(process.env.OIDC_PORT || 0)
const CONSOLE = process.env.CONSOLE_ORIGIN || 'http://127.0.0.1:8000'
export const CLIENT_ID = process.env.OIDC_CLIENT_ID || 'govpm-console'
export const AUDIENCE = process.env.OIDC_AUDIENCE || 'govpm-api'  // the access token's aud
const RESOURCE = 'urn:govpm:api'  // the API's resource indicator (RFC 8707)
const TTL = Number(process.env.OIDC_ACCESS_TOKEN_TTL || 3600)
// The test user: what the identity provider knows of them becomes the token's claims.
const USERS = {
  zhangsan: { password: 'Zs-2026-govpm', sub: 'idp-zhangsan', name: '张三', org: 'ORG-001', roles: ['unit'] },
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-idp-1', use: 'sig', alg: 'RS256' }
const account = (id) => {
  const u = Object.values(USERS).find((x) => x.sub === id)
  return u && { accountId: id, claims: async () => ({ sub: id, name: u.name, org: u.org, roles: u.roles }) }
}

const server = createServer()
await new Promise((resolve) => server.listen(PORT, '127.0.0.1', resolve))
const issuer = `http://127.0.0.1:${server.address().port}`

const provider = new Provider(issuer, {
  clients: [{
    client_id: CLIENT_ID, application_type: 'web', token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code'], response_types: ['code'],
    redirect_uris: [`${CONSOLE}/console/callback`], post_logout_redirect_uris: [`${CONSOLE}/console/login`],
  }],
  pkce: { required: () => true },
  jwks: { keys: [jwk] },
  cookies: { keys: ['govpm-test-provider-cookie-key'] },
  findAccount: async (_ctx, id) => account(id),
  claims: { openid: ['sub'], profile: ['name', 'org', 'roles'] },
  scopes: ['openid', 'profile', 'govpm'],
  ttl: { AccessToken: TTL, IdToken: TTL, Session: 8 * 3600, Interaction: 600, Grant: 8 * 3600 },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>退出统一身份认证</title></head>
          <body><main><h1>退出统一身份认证？</h1>${form}
          <button type="submit" form="op.logoutForm" name="logout" value="yes">确认退出</button></main></body></html>`
      },
    },
    resourceIndicators: {
      enabled: true,
      defaultResource: async () => RESOURCE,
      useGrantedResource: async () => true,
      getResourceServerInfo: async (_ctx, resource) => {
        if (resource !== RESOURCE) throw new errors.InvalidTarget()
        return { scope: 'govpm', audience: AUDIENCE, accessTokenTTL: TTL, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }
      },
    },
  },
  // The API's access token carries who the user is (GovPM's gateway reads name, org and roles).
  extraTokenClaims: async (_ctx, token) => {
    const u = Object.values(USERS).find((x) => x.sub === token.accountId)
    return u ? { name: u.name, org: u.org, roles: u.roles } : undefined
  },
})

const page = (uid, error = '') => `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>统一身份认证</title></head>
<body><main><h1>统一身份认证平台（测试）</h1>${error ? `<p role="alert">${error}</p>` : ''}
<form method="post" action="/interaction/${uid}">
<label>用户名 <input name="username" autocomplete="username"></label>
<label>密码 <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">登录</button></form></main></body></html>`

async function form(req) {
  let body = ''
  for await (const chunk of req) body += chunk
  return Object.fromEntries(new URLSearchParams(body))
}

const callback = provider.callback()
server.on('request', async (req, res) => {
  const m = req.url.match(/^\/interaction\/([\w-]+)$/)
  if (!m) return callback(req, res)
  try {
    const details = await provider.interactionDetails(req, res)
    if (req.method === 'GET') {
      res.setHeader('Content-Type', 'text/html; charset=utf-8')
      return res.end(page(details.uid))
    }
    const { username, password } = await form(req)
    const user = USERS[username]
    if (!user || user.password !== password) {
      res.setHeader('Content-Type', 'text/html; charset=utf-8')
      return res.end(page(details.uid, '用户名或密码错误'))
    }
    const grant = new provider.Grant({ accountId: user.sub, clientId: details.params.client_id })
    grant.addOIDCScope(String(details.params.scope || 'openid'))
    grant.addResourceScope(RESOURCE, 'govpm')
    const grantId = await grant.save()
    await provider.interactionFinished(req, res, { login: { accountId: user.sub }, consent: { grantId } }, { mergeWithLastSubmission: false })
  } catch (e) {
    res.statusCode = 400
    res.end(`interaction failed: ${e.message}`)
  }
})
console.log(`ready ${issuer}`)
