// 管理 and 统计 in the browser: policy versions listed and added (a refusal first, with its message in
// the form), the Excel import's progress and result (and a refused file), the rebuild's progress to
// done, and 统计 from the server's aggregate.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, eventually, launch, shot, signedIn } from './lib.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

async function as(role, org, path, fn) {
  const { context, page } = await signedIn(browser, role, org, { path })
  try { await fn(page) } finally { await context.close() }
}
const tokenOf = (page) => page.evaluate(() => sessionStorage.getItem('govpm.token'))

test('policy versions: listed with their effective dates; admin adds one (refused first, then accepted)', async () => {
  await as('admin', 'BDB', '/console/admin', async (page) => {
    await page.getByRole('tab', { name: '政策版本' }).click()
    const table = page.getByTestId('policies')
    await table.getByText('盐政办发〔2023〕25号').first().waitFor()
    const code = `东政办发〔2026〕${Date.now() % 1000}号`
    await page.getByTestId('policy-add').click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('适用地区').fill('320981')
    await dialog.getByLabel('文号').fill(code)
    await dialog.getByLabel('领导小组审定门槛').fill('1000000.00')
    await dialog.getByLabel('概算评审门槛').fill('2000000.00')
    await dialog.getByTestId('action-submit').click()
    const problem = dialog.getByTestId('problem')
    await problem.waitFor()
    assert.match(await problem.innerText(), /概算评审门槛不得高于领导小组审定门槛/)
    assert.equal(await dialog.getByLabel('文号').inputValue(), code, 'what was typed stays after the refusal')
    await dialog.getByLabel('概算评审门槛').fill('500000.00')
    await dialog.getByTestId('action-submit').click()
    await dialog.waitFor({ state: 'hidden', timeout: 30000 }).catch(async (e) => {
      throw new Error(`not accepted: ${await problem.innerText().catch(() => e.message)}`)
    })
    const row = table.locator('tr', { hasText: code })
    await row.waitFor()
    assert.match(await row.innerText(), /320981/)
    assert.match(await row.innerText(), /1000000\.00/)
    await shot(page, 'admin-policies')
  })
})

test('an Excel import shows its progress and result; a refused file shows why, in Chinese', async () => {
  await as('bdb', 'BDB', '/console/admin', async (page) => {
    await page.getByRole('tab', { name: '数据导入' }).click()
    const panel = page.getByTestId('import-systems')
    const r = await fetch(`${BASE}/api/v1/approval/registry/systems/import-template.xlsx`, { headers: { Authorization: `Bearer ${await tokenOf(page)}` } })
    assert.equal(r.status, 200)
    const buffer = Buffer.from(await r.arrayBuffer())
    await panel.locator('input[type=file]').setInputFiles({ name: '已建系统.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer })
    await eventually(async () => /导入完成：共 1 行/.test(await panel.getByTestId('import-status').innerText()))
    await panel.locator('input[type=file]').setInputFiles({ name: '错误.xlsx', mimeType: 'application/octet-stream', buffer: Buffer.from('不是 Excel 文件') })
    await eventually(async () => /导入未成功/.test(await panel.getByTestId('import-status').innerText()))
    const why = await panel.getByTestId('problem').innerText()
    assert.match(why, /文件不是有效的 Excel 工作簿/, why)
    await shot(page, 'admin-import')
  })
})

test('the rebuild of the whole-project view shows its status until done', async () => {
  await as('bdb', 'BDB', '/console/admin', async (page) => {
    await page.getByRole('tab', { name: '全流程视图' }).click()
    await page.getByRole('button', { name: '重建全流程视图' }).click()
    const status = page.getByTestId('rebuild-status')
    await status.waitFor()
    await eventually(async () => (await status.innerText()) === '已完成', { timeout: 60000 })
    assert.match(await page.getByTestId('rebuild-summary').innerText(), /重建完成：重放事件 \d+ 条，项目 \d+ 个/)
    await shot(page, 'admin-rebuild')
  })
})

test('统计 shows the server\'s aggregate of the projects the user may see', async () => {
  await as('bdb', 'BDB', '/console/stats', async (page) => {
    const r = await fetch(`${BASE}/api/v1/oversight/stats`, { headers: { Authorization: `Bearer ${await tokenOf(page)}` } })
    const stats = await r.json()
    assert.equal(r.status, 200)
    await page.getByTestId('stats-total').waitFor()
    assert.match(await page.getByTestId('stats-total').innerText(), new RegExp(`共 ${stats.total.projects} 个项目`))
    await page.getByText('项目全流程漏斗').first().waitFor()
  })
})
