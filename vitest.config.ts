import { defineConfig } from 'vitest/config';

export default defineConfig({
  define: {
    __APP_VERSION__: JSON.stringify('test'),
    __BUILD_ID__: JSON.stringify('test'),
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'bridge/**/*.test.ts', 'hq/**/*.test.ts'],
    pool: 'threads',
    maxWorkers: 2,
    // Store and backend flows run 600,000-iteration PBKDF2 several times: allow for a busy 2-core machine.
    testTimeout: 30_000,
  },
});
