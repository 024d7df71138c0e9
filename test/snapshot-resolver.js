// Keeps snapshots beside the TypeScript tests (test/__snapshots__), not in dist/.
const path = require('path');
const root = path.resolve(__dirname, '..');
module.exports = {
  resolveSnapshotPath: (testPath, ext) =>
    path.join(root, 'test', '__snapshots__', path.basename(testPath).replace(/\.js$/, '.ts') + ext),
  resolveTestPath: (snapshotPath, ext) =>
    path.join(root, 'dist', 'test', path.basename(snapshotPath, ext).replace(/\.ts$/, '.js')),
  testPathForConsistencyCheck: path.join(root, 'dist', 'test', 'example.test.js'),
};
