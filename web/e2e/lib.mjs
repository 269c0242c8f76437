// Shared helpers of the browser tests: Debian's Chromium driven by playwright-core, sign-in as a demo
// identity, screenshots kept under web/artifacts/ (gitignored), axe-core on a page.
import { mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const require = createRequire(import.meta.url)
export const BASE = process.env.GOVPM_URL || 'http://127.0.0.1:8000'
export const ARTIFACTS = process.env.GOVPM_ARTIFACTS || resolve(dirname(fileURLToPath(import.meta.url)), '../artifacts')
mkdirSync(ARTIFACTS, { recursive: true })

export const DESKTOP = { width: 1366, height: 768 }
export const PHONE = { width: 390, height: 844 }

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  })
}

/** A fresh browser context (its own sessionStorage) signed in as one demo identity. */
export async function signedIn(browser, role, org, { viewport = DESKTOP, path = '/console' } = {}) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', baseURL: BASE })
  const page = await context.newPage()
  page.on('pageerror', (e) => console.error(`[pageerror ${role}] ${e.message}`))
  await page.goto(`/console/login?redirect=${encodeURIComponent(path)}`)
  await page.getByTestId(`login-${role}-${org}`).click()
  await page.waitForURL((u) => !u.pathname.startsWith('/console/login'))
  return { context, page }
}

export async function shot(page, name) {
  await page.waitForLoadState('networkidle').catch(() => {})
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true })
}

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

/** axe-core on the page once its transitions have settled: the serious and critical violations (id, impact, targets). */
export async function axe(page) {
  // a toast or dialog half-way through its fade has the contrast of its opacity: judge the settled page
  await page.waitForFunction(() => !document.querySelector('[class*="-enter-active"], [class*="-leave-active"]'))
  await page.addScriptTag({ content: AXE })
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }))
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }))
}

/** Run one of the actions a project page offers (button, then its dialog's form). */
export async function act(page, key, fill = {}) {
  await page.getByTestId(`action-${key}`).click()
  const dialog = page.getByRole('dialog')
  for (const [label, value] of Object.entries(fill)) {
    await dialog.getByLabel(label, { exact: false }).first().fill(String(value))
  }
  await dialog.getByTestId('action-submit').click()
}

/** Poll until `check()` resolves truthy (events cross services asynchronously). */
export async function eventually(check, { timeout = 30000, interval = 500 } = {}) {
  const end = Date.now() + timeout
  let last
  for (;;) {
    try { last = await check(); if (last) return last } catch (e) { last = e }
    if (Date.now() > end) throw new Error(`condition not met within ${timeout} ms: ${last}`)
    await new Promise((r) => setTimeout(r, interval))
  }
}

/** Wait until the project page offers action `key` (reloading: other services hear of a step by events). */
export async function offered(page, key, timeout = 45000) {
  await eventually(async () => {
    if (await page.getByTestId(`action-${key}`).isVisible()) return true
    await page.reload()
    await page.waitForLoadState('networkidle').catch(() => {})
    return page.getByTestId(`action-${key}`).isVisible()
  }, { timeout, interval: 1000 })
}

/** Take action `key` once offered, fill its form by field labels, and wait for its success message. */
export async function take(page, key, fill = {}) {
  await offered(page, key)
  await page.getByTestId(`action-${key}`).click()
  const dialog = page.getByRole('dialog')
  await dialog.waitFor()
  for (const [label, value] of Object.entries(fill)) {
    if (value && typeof value === 'object' && (value.select || value.first)) {
      await dialog.getByLabel(label).locator('xpath=ancestor::div[contains(@class,"el-select__wrapper")]').click()
      const option = value.first ? page.locator('.el-select-dropdown__item:visible').first() : page.getByRole('option', { name: value.select, exact: true })
      await option.click()
    } else await dialog.getByLabel(label).fill(String(value))
  }
  await dialog.getByTestId('action-submit').click()
  await Promise.race([
    page.locator('.el-message--success').first().waitFor({ timeout: 20000 }),
    dialog.getByTestId('problem').waitFor({ timeout: 20000 }).then(async () => {
      throw new Error(`${key} refused: ${await dialog.getByTestId('problem').innerText()}`)
    }),
  ])
  await dialog.waitFor({ state: 'hidden' })
}

/** Pick an option of an Element Plus select labelled `label` (outside dialogs). The option's text must
 * match exactly: another select's list still fading out may hold a longer option containing it (验收 in
 * 验收报告), and a click aimed at that item waits for it forever once it is hidden. */
export async function choose(page, label, option) {
  await page.getByLabel(label).locator('xpath=ancestor::div[contains(@class,"el-select__wrapper")]').click()
  const exact = new RegExp(`^\\s*${option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`)
  await page.locator('.el-select-dropdown__item:visible', { hasText: exact }).first().click()
}
