// OpenID Connect sign-in (authorisation code + PKCE) with oidc-client-ts, loaded only when the gateway
// names an identity provider (GOVPM_OIDC_ISSUER, GOVPM_OIDC_CLIENT_ID). The gateway verifies the access
// token against the provider's JWKS (GOVPM_JWKS_URL).
import type { AuthConfig } from './auth'

async function manager(cfg: NonNullable<AuthConfig['oidc']>) {
  const { UserManager, WebStorageStateStore } = await import('oidc-client-ts')
  return new UserManager({
    authority: cfg.issuer, client_id: cfg.client_id,
    redirect_uri: `${location.origin}/console/callback`,
    post_logout_redirect_uri: `${location.origin}/console/login`,
    response_type: 'code', scope: cfg.scope || 'openid profile',
    userStore: new WebStorageStateStore({ store: sessionStorage }),
  })
}

export async function oidcSignIn(cfg: NonNullable<AuthConfig['oidc']>, redirect: string) {
  await (await manager(cfg)).signinRedirect({ state: { redirect } })
}

export async function oidcCallback(cfg: NonNullable<AuthConfig['oidc']>): Promise<{ token: string; redirect: string }> {
  const user = await (await manager(cfg)).signinRedirectCallback()
  const state = (user.state || {}) as { redirect?: string }
  return { token: user.access_token, redirect: state.redirect || '/console' }
}

export async function oidcSignOut(cfg: NonNullable<AuthConfig['oidc']>) {
  const m = await manager(cfg)
  await m.removeUser()
}
