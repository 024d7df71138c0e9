// Tests are compiled by tsc with the rest of the project (npm test builds first), so
// worker threads and child processes run exactly the JavaScript that ships.
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/dist/test'],
  testMatch: ['**/*.test.js'],
  snapshotResolver: '<rootDir>/test/snapshot-resolver.js',
  testTimeout: 120000,
  maxWorkers: 1,
};
