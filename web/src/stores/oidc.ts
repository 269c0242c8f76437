// OpenID Connect sign-in (authorisation code + PKCE) with oidc-client-ts, loaded only when the gateway
// names an identity provider (GOVPM_OIDC_ISSUER, GOVPM_OIDC_CLIENT_ID). The console sends the access token;
// the gateway verifies it against the provider's keys (found by discovery) and reads name, org and roles
// from its claims. Sign-out ends the provider's session too (RP-initiated logout), back to /console/login.
import type { AuthConfig } from './auth'

async function manager(cfg: NonNullable<AuthConfig['oidc']>) {
  const { UserManager, WebStorageStateStore } = await import('oidc-client-ts')
  return new UserManager({
    authority: cfg.issuer, client_id: cfg.client_id,
    redirect_uri: `${location.origin}/console/callback`,
    post_logout_redirect_uri: `${location.origin}/console/login`,
    response_type: 'code', scope: cfg.scope || 'openid profile',
    userStore: new WebStorageStateStore({ store: sessionStorage }),
    // No silent renewal: when the token expires the user signs in again and comes back to the page.
    automaticSilentRenew: false,
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

/** End the provider's session as well: true when the browser is leaving for the provider's sign-out
 *  page, false when nobody signed in through the provider (a dev sign-in). */
export async function oidcSignOut(cfg: NonNullable<AuthConfig['oidc']>): Promise<boolean> {
  const m = await manager(cfg)
  const user = await m.getUser()
  if (!user) return false
  await m.removeUser()
  await m.signoutRedirect({ id_token_hint: user.id_token })
  return true
}
