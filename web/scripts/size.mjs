// The JavaScript a browser loads to show the first page after sign-in (the entry, the layout and the
// workbench with everything they import statically), gzipped; fails above the budget of 500 kB.
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const BUDGET = 500 * 1024
const dist = resolve(dirname(fileURLToPath(import.meta.url)), '../dist')
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'))
const seen = new Set()
function walk(key) {
  if (seen.has(key)) return
  seen.add(key)
  for (const k of manifest[key].imports || []) walk(k)
}
const entry = Object.keys(manifest).find((k) => manifest[k].isEntry)
walk(entry)
for (const page of ['src/layout/AppLayout.vue', 'src/views/workbench/WorkbenchView.vue']) if (manifest[page]) walk(page)
let total = 0
for (const k of seen) {
  const file = manifest[k].file
  if (file.endsWith('.js')) total += gzipSync(readFileSync(join(dist, file))).length
}
const kb = (total / 1024).toFixed(1)
console.log(`initial JS (entry + layout + workbench, ${seen.size} chunks): ${kb} kB gzipped (budget ${BUDGET / 1024} kB)`)
if (total > BUDGET) { console.error('initial JS over budget'); process.exit(1) }
