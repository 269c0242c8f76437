import { defineConfig } from 'vitest/config'
import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import AutoImport from 'unplugin-auto-import/vite'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

// The gateway serves dist/ at / (hashed files under /assets/ are cached for a year, index.html never).
// `npm run dev` proxies the API to a gateway started by `make run` (GOVPM_GATEWAY_URL overrides).
const gateway = process.env.GOVPM_GATEWAY_URL || 'http://127.0.0.1:8000'

export default defineConfig({
  plugins: [
    vue(),
    AutoImport({ resolvers: [ElementPlusResolver()], dts: 'src/auto-imports.d.ts' }),
    Components({ resolvers: [ElementPlusResolver()], dts: 'src/components.d.ts' }),
  ],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  build: { outDir: 'dist', assetsDir: 'assets', manifest: true, chunkSizeWarningLimit: 1200, sourcemap: false },
  server: {
    proxy: {
      '/api': gateway, '/auth': gateway, '/healthz': gateway, '/openapi.json': gateway,
    },
  },
  test: {
    environment: 'jsdom',
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/setup.ts'],
    server: { deps: { inline: ['element-plus'] } },
  },
})
