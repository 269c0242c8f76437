// One whole project life clicked through by the right roles in turn: the unit declares (materials
// uploaded in the form) and applies, bdb reviews, the approval bureau approves, the unit registers its
// contract, finance pays, the unit reports a quarter, goes through acceptance and tries the
// self-evaluation (refused with its article until the window opens). Then: a refusal at intake
// keeps the form and names the field; a unit cannot see another unit's project; a 401 returns to
// sign-in and back to the page.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { PHONE, axe, choose, eventually, launch, offered, shot, signedIn, take } from './lib.mjs'

let browser
let projectId
const title = `智慧养老服务平台-${Date.now().toString(36)}`
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

async function asRole(role, org, path, fn, opts) {
  const { context, page } = await signedIn(browser, role, org, { path, ...opts })
  try { await fn(page) } finally { await context.close() }
}

test('unit declares an emergency project with its materials', async () => {
  await asRole('unit', 'ORG-001', '/console/declare', async (page) => {
    await page.getByLabel('项目名称').fill(title)
    await page.getByLabel('估算投资（元）').fill('300000.00')
    await page.getByLabel('建设内容').fill('建设全市养老服务数据归集与服务平台')
    await page.getByText('应急项目').first().click()
    await page.getByLabel('应急依据').fill('公共卫生事件应急处置需要')
    for (const k of ['proposal', 'feasibility_study', 'preliminary_design', 'security_statement']) {
      await page.getByTestId(`file-${k}`).setInputFiles({ name: `${k}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from(`%PDF-1.4 ${k} ${title}`) })
    }
    await shot(page, 'life-01-declare-filled')
    await page.getByTestId('declare-submit').click()
    await page.waitForURL(/\/console\/projects\/[0-9a-f-]{36}/, { timeout: 60000 })
    projectId = page.url().split('/').pop().split('?')[0]
    await page.getByTestId('project-title').waitFor()
    assert.equal(await page.getByTestId('project-title').innerText(), title)
    await page.getByRole('tab', { name: '材料' }).click()
    await eventually(async () => (await page.getByText('proposal.pdf').count()) > 0 || (await page.reload(), false))
    await shot(page, 'life-02-declared')
  })
})

test('unit states compliance and submits for review', async () => {
  await asRole('unit', 'ORG-001', `/console/projects/${projectId}`, async (page) => {
    await take(page, 'compliance')
    await take(page, 'submit')
    await eventually(async () => (await page.getByTestId('project-status').innerText()) === '审核中' || (await page.reload(), false))
  })
})

test('bdb reviews: expert score, joint review, technical opinion', async () => {
  await asRole('bdb', 'BDB', `/console/review/${projectId}`, async (page) => {
    await page.getByTestId('checks').waitFor()
    await take(page, 'expert-review', { 专家姓名: '周教授' })
    await take(page, 'joint-review')
    await take(page, 'technical-opinion', { 技术审核意见文号: '盐数技审〔2026〕1号' })
    await page.getByText('周教授').first().waitFor()
    await shot(page, 'life-03-review')
    assert.deepEqual(await axe(page), [])
    // the 技术审核意见 as a document (DOCX and PDF by LibreOffice: slow on a busy machine, hence its own wait)
    await offered(page, 'generate-technical-opinion')
    await page.getByTestId('action-generate-technical-opinion').click()
    await page.getByRole('dialog').getByTestId('action-submit').click()
    await page.locator('.el-message--success').first().waitFor({ timeout: 120000 })
  })
})

test('the project page lists the generated documents with their rules and downloads', async () => {
  await asRole('unit', 'ORG-001', `/console/projects/${projectId}?tab=documents`, async (page) => {
    const table = page.getByTestId('generated-documents')
    await eventually(async () => (await table.getByTestId('generated-no').count()) > 0 || (await page.reload(), false))
    const row = table.locator('tr', { hasText: '技术审核意见' }).first()
    assert.equal(await row.getByTestId('generated-no').innerText(), '盐数技审〔2026〕1号')
    assert.match(await row.innerText(), /盐城市大数据管理局/)
    assert.match(await row.innerText(), /\d{4}-\d{2}-\d{2}/)
    assert.ok(await row.getByTestId('rule-tag').filter({ hasText: 'R-10.1' }).count(), 'R-10.1 (第十条) shown')
    for (const [testid, magic] of [['generated-docx', 'PK'], ['generated-pdf', '%PDF']]) {
      const [file] = await Promise.all([page.waitForEvent('download'), row.getByTestId(testid).click()])
      const bytes = readFileSync(await file.path())
      assert.equal(bytes.subarray(0, magic.length).toString('latin1'), magic, `${testid} is a real file`)
    }
    await shot(page, 'life-03b-generated-documents')
    assert.deepEqual(await axe(page), [])
  })
})

test('the approval bureau issues the approval document', async () => {
  await asRole('approval_bureau', 'XZSP', `/console/review/${projectId}`, async (page) => {
    await take(page, 'approval-document', { 批复文号: '盐审批〔2026〕8号' })
  })
  await asRole('unit', 'ORG-001', `/console/projects/${projectId}`, async (page) => {
    await eventually(async () => (await page.getByTestId('project-status').innerText()) === '已批复' || (await page.reload(), false), { timeout: 45000 })
  })
})

test('unit registers the contract; finance pays', async () => {
  await asRole('unit', 'ORG-001', `/console/projects/${projectId}`, async (page) => {
    await take(page, 'contract', { 合同编号: 'HT-2026-001', 供应商: '盐城软件有限公司', '合同金额（元）': '280000.00' })
  })
  await asRole('bdb', 'BDB', `/console/projects/${projectId}?tab=money`, async (page) => {
    await take(page, 'funding-plan', { '本年计划金额（元）': '300000.00' })
  })
  await asRole('unit', 'ORG-001', `/console/projects/${projectId}?tab=money`, async (page) => {
    await take(page, 'funding-request', { '申请金额（元）': '100000.00', 对应合同: { first: true } })
  })
  await asRole('bdb', 'BDB', `/console/projects/${projectId}?tab=money`, async (page) => {
    await eventually(async () => (await page.getByTestId('decide-submitted').count()) > 0 || (await page.reload(), false))
    await page.getByTestId('decide-submitted').first().click()
    await page.getByRole('dialog').getByTestId('action-submit').click()
    await page.locator('.el-message--success').first().waitFor()
  })
  await asRole('finance', 'CZJ', `/console/projects/${projectId}?tab=money`, async (page) => {
    await take(page, 'disbursement', { 对应资金申请: { first: true }, '拨付金额（元）': '100000.00' })
    await eventually(async () => (await page.getByText('100,000.00').count()) > 0 || (await page.reload(), false))
    await shot(page, 'life-04-paid')
  })
})

test('unit files construction and reports a quarter', async () => {
  await asRole('unit', 'ORG-001', `/console/projects/${projectId}`, async (page) => {
    await take(page, 'construction', { 实施主体: '市民政局信息中心', 项目负责人: '张三', 监理单位: '江苏监理有限公司', 运维方案: '承建单位驻场运维', 培训计划: '上线前集中培训', 培训教材: '系统操作手册' })
    await take(page, 'progress-report', { '本年资金使用（元）': '100000.00', '累计资金使用（元）': '100000.00' })
    await page.getByRole('tab', { name: '季度报告' }).click()
    await eventually(async () => (await page.getByText('按计划推进').count()) > 0 || (await page.reload(), await page.getByRole('tab', { name: '季度报告' }).click(), false))
  })
})

test('acceptance: prerequisites, trial operation, final acceptance; self-evaluation waits for its window', async () => {
  await asRole('unit', 'ORG-001', `/console/projects/${projectId}?tab=acceptance`, async (page) => {
    await take(page, 'security-assessment', { 报告编号: 'DJCP-2026-01' })
    await take(page, 'security-assessment', { 类型: { select: '风险评估' }, 报告编号: 'FXPG-2026-01' })
    await take(page, 'profile')
    // the documents the archives acceptance examines, uploaded on the project page
    await page.getByRole('tab', { name: '材料' }).click()
    for (const kind of ['项目建议书', '可行性研究报告', '初步设计方案', '技术审核意见', '批复文件', '采购合同', '网络安全检测报告', '风险评估报告']) {
      await choose(page, '办理环节', '验收')
      await choose(page, '文件类别', kind)
      await page.getByTestId('document-file').setInputFiles({ name: `${kind}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from(`%PDF-1.4\n% ${kind}\n%%EOF\n`) })
      await page.getByTestId('document-upload').click()
      await page.locator('.el-message--success').last().waitFor()
      await page.getByTestId('document-upload').filter({ hasText: '上传' }).waitFor()
    }
    await page.getByRole('tab', { name: '验收' }).click()
  })
  await asRole('archives', 'DAG', `/console/projects/${projectId}?tab=acceptance`, async (page) => {
    await take(page, 'archives', { 档案验收意见编号: 'DA-2026-01' })
  })
  await asRole('unit', 'ORG-001', `/console/projects/${projectId}?tab=acceptance`, async (page) => {
    await take(page, 'trial-operation')
    await take(page, 'final')
    await eventually(async () => (await page.getByTestId('project-status').innerText()) === '已终验' || (await page.reload(), false), { timeout: 45000 })
    await offered(page, 'self-evaluation')
    await page.getByTestId('action-self-evaluation').click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('自评报告').fill('项目按期建成，运行良好')
    await dialog.getByTestId('action-submit').click()
    const problem = dialog.getByTestId('problem')
    await problem.waitFor()
    assert.match(await problem.innerText(), /第二十四条/)
    assert.equal(await dialog.getByLabel('自评报告').inputValue(), '项目按期建成，运行良好', 'the form keeps what was typed')
    await shot(page, 'life-05-self-evaluation-refused')
  })
  await asRole('unit', 'ORG-001', `/console/projects/${projectId}`, async (page) => {
    await page.getByRole('tab', { name: '时间线' }).click()
    await page.getByText('竣工验收').first().waitFor()
    await shot(page, 'page-project-detail-1366')
    assert.deepEqual(await axe(page), [])
  })
  await asRole('unit', 'ORG-001', `/console/projects/${projectId}?tab=money`, async (page) => {
    await page.getByTestId('project-title').waitFor()
    await page.waitForTimeout(500)
    await shot(page, 'page-project-detail-390')
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(width <= PHONE.width + 1, `no horizontal scrolling at 390 px (page is ${width} px wide)`)
  }, { viewport: PHONE })
})

test('a refusal at intake shows its article, keeps the form and marks the field', async () => {
  await asRole('unit', 'ORG-001', '/console/declare', async (page) => {
    await page.getByLabel('项目名称').fill('办公打印机采购')
    await page.getByLabel('估算投资（元）').fill('50000')
    // shown while typing, before anything is declared
    await eventually(async () => /R-2\.2/.test(await page.getByTestId('live-check').innerText()))
    await page.getByTestId('declare-submit').click()
    const problem = page.getByTestId('problem')
    await problem.waitFor()
    const text = await problem.innerText()
    assert.match(text, /第二条/)
    assert.match(text, /R-2\.2/)
    assert.match(text, /打印机/)
    assert.equal(await page.getByLabel('项目名称').inputValue(), '办公打印机采购')
    assert.equal(await page.getByLabel('估算投资（元）').inputValue(), '50000')
    assert.ok(await page.locator('.el-form-item.is-error').filter({ has: page.getByLabel('项目名称') }).count() > 0, 'the title is marked')
    await problem.getByTestId('rule-tag').first().hover()
    await page.locator('.rule-tip').filter({ hasText: 'R-2.2' }).first().waitFor()
    await shot(page, 'refusal-r-2.2')
    // a malformed amount names its field
    await page.getByLabel('项目名称').fill('社区养老服务平台')
    await page.getByLabel('估算投资（元）').fill('三十万')
    await page.getByTestId('declare-submit').click()
    await eventually(async () => /估算投资/.test(await page.getByTestId('problem').innerText()))
  })
})

test('a unit cannot see another unit\'s project', async () => {
  await asRole('unit', 'ORG-002', `/console/projects/${projectId}`, async (page) => {
    await page.getByTestId('problem').waitFor()
    assert.match(await page.getByTestId('problem').innerText(), /未找到该项目，或您无权查看/)
    assert.equal(await page.getByTestId('project-title').count(), 0)
    await page.goto('/console/projects')
    await page.getByTestId('project-table').waitFor()
    await page.waitForLoadState('networkidle')
    assert.equal(await page.getByText(title).count(), 0)
  })
})

test('a rejected token returns to sign-in and back to the page', async () => {
  await asRole('unit', 'ORG-001', `/console/projects/${projectId}`, async (page) => {
    await page.getByTestId('project-title').waitFor()
    const forged = ['eyJhbGciOiJIUzI1NiJ9', Buffer.from(JSON.stringify({ sub: 'x', org: 'ORG-001', roles: ['unit'], exp: 4102444800 })).toString('base64url'), 'bad'].join('.')
    await page.evaluate((t) => sessionStorage.setItem('govpm.token', t), forged)
    await page.reload()
    await page.waitForURL(/\/console\/login\?redirect=/)
    assert.ok(decodeURIComponent(page.url()).includes(`/console/projects/${projectId}`))
    await page.getByTestId('login-unit-ORG-001').click()
    await page.waitForURL(new RegExp(`/console/projects/${projectId}`))
    await page.getByTestId('project-title').waitFor()
  })
})
