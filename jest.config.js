// Tests are compiled by tsc with the rest of the project (npm test builds first), so
// worker threads and child processes run exactly the JavaScript that ships.
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/dist/test'],
  testMatch: ['**/*.test.js'],
  snapshotResolver: '<rootDir>/test/snapshot-resolver.js',
  // One line for the whole run when the Win32 suites cannot run here (no Wine).
  globalSetup: '<rootDir>/dist/test/support/global-setup.js',
  // Every test file: its processes killed when it ends; on Windows, one kernel32 binding (see the file).
  setupFilesAfterEnv: ['<rootDir>/dist/test/support/per-file.js'],
  testTimeout: 120000,
  maxWorkers: 1,
};
