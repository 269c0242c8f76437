// Production sign-in in the browser: OpenID Connect authorisation code + PKCE against a local provider
// (e2e/oidc-provider.mjs, started by tests/e2e/test_console_e2e.py), the gateway verifying its tokens by
// the provider's keys. The user signs in on the provider's page and lands on 工作台 as the token says;
// expiry and a 401 bring them back to sign-in and then to the page they were on; sign-out ends the
// provider's session too.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { DESKTOP, launch, shot } from './lib.mjs'

const ISSUER = process.env.OIDC_ISSUER
let browser
let context
let page
before(async () => {
  assert.ok(ISSUER, 'OIDC_ISSUER is set by the test that starts the provider')
  browser = await launch()
  context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', baseURL: process.env.GOVPM_URL })
  page = await context.newPage()
  page.on('pageerror', (e) => console.error(`[pageerror] ${e.message}`))
})
after(async () => { await browser?.close() })

const onProvider = () => page.waitForURL((u) => u.href.startsWith(`${ISSUER}/interaction/`))
async function providerLogin(password = 'Zs-2026-govpm') {
  await page.getByLabel('用户名').fill('zhangsan')
  await page.getByLabel('密码').fill(password)
  await page.getByRole('button', { name: '登录' }).click()
}
/** Wait for the console's `path`; on a timeout say where the browser is and what it shows. */
async function landed(path) {
  await page.waitForURL((u) => u.pathname === path, { timeout: 30000 }).catch(async () => {
    await shot(page, 'oidc-failed')
    throw new Error(`not on ${path}: at ${page.url()}: ${(await page.locator('body').innerText().catch(() => '')).slice(0, 500)}`)
  })
}
const token = () => page.evaluate(() => sessionStorage.getItem('govpm.token'))

test('sign-in through the provider\'s page (code + PKCE) lands on 工作台 as the token says', async () => {
  await page.goto('/console')
  await page.waitForURL(/\/console\/login\?redirect=/)
  await page.getByRole('button', { name: '统一身份认证登录' }).click()
  await onProvider()
  const authorize = new URL(page.url())
  assert.equal(authorize.origin, ISSUER)
  await providerLogin('wrong-password')
  await page.getByRole('alert').filter({ hasText: '用户名或密码错误' }).waitFor()
  await providerLogin()
  await landed('/console')
  assert.equal(await page.getByTestId('who').innerText(), '张三（项目建设单位·ORG-001）')
  await page.locator('h1').first().waitFor()
  await shot(page, 'oidc-workbench')
  const t = await token()
  const claims = JSON.parse(Buffer.from(t.split('.')[1], 'base64url').toString())
  assert.equal(claims.iss, ISSUER)
  assert.equal(claims.org, 'ORG-001')
  assert.deepEqual(claims.roles, ['unit'])
  // The provider's token works through the gateway (verified by the provider's keys) into the services.
  const r = await page.evaluate(async (bearer) => {
    const res = await fetch('/api/v1/projects?limit=1', { headers: { Authorization: `Bearer ${bearer}` } })
    return { status: res.status, body: await res.json() }
  }, t)
  assert.equal(r.status, 200, JSON.stringify(r.body))
  assert.ok(Array.isArray(r.body.items))
})

test('when the token expires the user signs in again and returns to the page they were on', async () => {
  await page.goto('/console/projects')
  await page.getByRole('heading', { name: '项目库' }).waitFor()
  const exp = JSON.parse(Buffer.from((await token()).split('.')[1], 'base64url').toString()).exp
  await context.clock.install()
  await page.reload()  // the expiry timer is set again on load, now on the controlled clock
  await page.getByRole('heading', { name: '项目库' }).waitFor()
  await context.clock.fastForward(Math.max(0, exp * 1000 - Date.now()) + 60_000)
  await page.waitForURL(/\/console\/login\?redirect=/)
  assert.equal(new URL(page.url()).searchParams.get('redirect'), '/console/projects')
  await context.clock.setSystemTime(Date.now())
  await context.clock.resume()
  await page.getByRole('button', { name: '统一身份认证登录' }).click()  // the provider's session is still open
  await landed('/console/projects')
  await page.getByRole('heading', { name: '项目库' }).waitFor()
})

test('a 401 from the API brings the user back to sign-in, then to the page', async () => {
  await page.goto('/console/projects')
  await page.getByRole('heading', { name: '项目库' }).waitFor()
  const [head, body] = (await token()).split('.')
  await page.evaluate((t) => sessionStorage.setItem('govpm.token', t), `${head}.${body}.c2lnbmF0dXJlLW5vdC1ieS10aGUtcHJvdmlkZXI`)
  await page.reload()
  await page.waitForURL(/\/console\/login\?redirect=/)
  assert.equal(new URL(page.url()).searchParams.get('redirect'), '/console/projects')
  await page.getByRole('button', { name: '统一身份认证登录' }).click()
  await landed('/console/projects')
})
test('sign-out ends the provider\'s session too', async () => {
  await page.goto('/console')
  await page.getByTestId('who').waitFor()
  await page.getByRole('button', { name: '退出' }).click()
  await page.waitForURL((u) => u.href.startsWith(ISSUER))
  await page.getByRole('button', { name: '确认退出' }).click()
  await page.waitForURL(/\/console\/login/)
  assert.equal(await token(), null)
  await page.getByRole('button', { name: '统一身份认证登录' }).click()
  await onProvider()  // asked to sign in again: the provider's session is gone
  await page.getByLabel('用户名').waitFor()
})
