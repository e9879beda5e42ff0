import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'test/**/*.test.ts', 'web/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**', 'dist/**'],
    globalSetup: ['test/global-setup.ts'],
    env: { NODE_ENV: 'test' },
    // Timeouts only catch a test that hangs; speed is what `npm run bench` measures. They leave room
    // for a machine busy with other work (CI's two cores also run the other worker and its child
    // processes): a test that takes 2 s alone was seen taking 20. Tests that do much more (every
    // route × role, CLI processes) declare their own, sized to their work.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: more workers only queue on the CPU, and each PGlite needs ~100 MB.
    maxWorkers: 2,
    pool: 'forks',
  },
});
