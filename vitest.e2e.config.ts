import { defineConfig } from 'vitest/config';

// Browser tests: one real server (started by the global setup) shared by files that run one at a
// time, so their sign-ins and rate limits do not interfere.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    fileParallelism: false,
    // Guards against a hang, sized for a busy machine (see vitest.config.ts); a story that walks
    // many pages declares more.
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
