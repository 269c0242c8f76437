// Times the 项目库 first page in Chromium (scripts/bench_console.py starts the stack and seeds it):
// from navigation to the first page's rows on screen, cold (a fresh page load) and warm (from 工作台
// through the menu). Prints one JSON line. Not a test: figures depend on the machine's load.
import { launch, signedIn } from './lib.mjs'

const N = Number(process.env.BENCH_RUNS || 7)
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] }
const browser = await launch()
const { context, page } = await signedIn(browser, 'bdb', 'BDB')
const rows = page.getByTestId('project-table').locator('tbody tr.el-table__row').first()
const cold = []
const warm = []
let shown = 0
for (let i = 0; i < N; i++) {
  let t0 = performance.now()
  await page.goto('/console/projects')
  await rows.waitFor({ timeout: 60000 })
  cold.push(performance.now() - t0)
  await page.goto('/console')
  await page.getByRole('menuitem', { name: '项目库' }).waitFor()
  t0 = performance.now()
  await page.getByRole('menuitem', { name: '项目库' }).click()
  await rows.waitFor({ timeout: 60000 })
  warm.push(performance.now() - t0)
  shown = await page.getByTestId('project-table').locator('tbody tr.el-table__row').count()
}
console.log(JSON.stringify({ runs: N, rows_on_first_page: shown, cold_ms: cold.map(Math.round), warm_ms: warm.map(Math.round),
  cold_median_ms: Math.round(median(cold)), warm_median_ms: Math.round(median(warm)) }))
await context.close()
await browser.close()
