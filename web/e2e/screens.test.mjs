// Screenshots of every main page at 1366×768 (and the to-dos and a project at 390 px) with axe-core.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { PHONE, axe, launch, shot, signedIn } from './lib.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

const PAGES = [
  ['bdb', 'BDB', '/console', 'workbench'], ['bdb', 'BDB', '/console/projects', 'projects'],
  ['unit', 'ORG-001', '/console/declare', 'declare'], ['bdb', 'BDB', '/console/review', 'review'],
  ['finance', 'CZJ', '/console/funds', 'funds'], ['bdb', 'BDB', '/console/supervision', 'supervision'],
  ['bdb', 'BDB', '/console/acceptance', 'acceptance'], ['admin', 'BDB', '/console/admin', 'admin'],
  ['bdb', 'BDB', '/console/stats', 'stats'],
]

test('the sign-in page lists the demo identities', async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, baseURL: process.env.GOVPM_URL })
  const page = await context.newPage()
  await page.goto('/console/projects')
  await page.waitForURL(/\/console\/login\?redirect=/)
  await page.getByText('市大数据管理局').first().waitFor()
  await shot(page, 'login')
  assert.deepEqual(await axe(page), [])
  await context.close()
})

for (const [role, org, path, name] of PAGES) {
  test(`page ${name} (${role})`, async () => {
    const { context, page } = await signedIn(browser, role, org, { path })
    await page.waitForLoadState('networkidle')
    await page.locator('h1').first().waitFor()
    await page.waitForTimeout(300)
    await shot(page, `page-${name}-1366`)
    const violations = await axe(page)
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 1))
    await context.close()
  })
}

test('to-dos at 390 px', async () => {
  const { context, page } = await signedIn(browser, 'unit', 'ORG-001', { viewport: PHONE })
  await page.waitForLoadState('networkidle')
  await shot(page, 'page-workbench-390')
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(width <= PHONE.width + 1, `no horizontal scrolling at 390 px (page is ${width} px wide)`)
  await context.close()
})
