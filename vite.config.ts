import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { compression } from 'vite-plugin-compression2';

const apiTarget = process.env.CRM_API_URL ?? 'http://127.0.0.1:3000';
const nodeModule = (names: string) => new RegExp(`[\\\\/]node_modules[\\\\/](${names})[\\\\/]`);

// Vendor code that the first screen needs goes into a few chunks that change only when a
// dependency does, so browsers keep them cached across our releases. The `$initial` tag keeps
// page-only code (antd's Table, charts) out of them: that stays in the lazily loaded chunks of the
// pages that use it (STACK trap 8). antd is split in two — its styling engine, utilities and icons,
// then its components — so neither half trips Vite's 500 kB warning and both load in parallel.
const vendorGroups = [
  { name: 'react', test: nodeModule('react|react-dom|scheduler|react-router'), priority: 40 },
  {
    name: 'antd-core',
    test: nodeModule(
      '@ant-design|@rc-component[\\\\/]util|@babel[\\\\/]runtime|@emotion|stylis|antd[\\\\/]es[\\\\/](_util|style|theme|config-provider|locale|version)',
    ),
    priority: 30,
    tags: ['$initial' as const],
  },
  {
    name: 'antd',
    test: nodeModule('antd|@rc-component|dayjs|clsx'),
    priority: 20,
    tags: ['$initial' as const],
  },
  { name: 'vendor', test: /[\\/]node_modules[\\/]/, priority: 10, tags: ['$initial' as const] },
  // Charts load with the pages that draw them; ECharts' renderer (zrender) goes in a chunk of its
  // own beside them, so neither trips the 500 kB warning and the two download in parallel.
  { name: 'zrender', test: nodeModule('zrender'), priority: 35 },
];

export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  // Brotli and gzip copies beside each asset, served by @fastify/static's `preCompressed` to
  // browsers that accept them: the first load moves about a third of the bytes it would otherwise.
  plugins: [
    react(),
    compression({ algorithms: ['brotliCompress', 'gzip'], threshold: 1024, logLevel: 'silent' }),
  ],
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    rolldownOptions: {
      output: { codeSplitting: { groups: vendorGroups } },
    },
  },
  server: {
    port: 5173,
    proxy: { '/api': { target: apiTarget } },
  },
});
