// The fast unit tests of the pure core, for mutation testing (npm run test:mutation):
// no process is spawned, so Stryker can run them once per mutant.
const base = require('./jest.config.js');

module.exports = {
  ...base,
  testMatch: [
    '**/statistics.test.js',
    '**/statistics-edges.test.js',
    '**/steady-state.test.js',
    '**/check.test.js',
    '**/trial-figures.test.js',
    '**/summarize.test.js',
    '**/summarize-phases.test.js',
    '**/summarize-edges.test.js',
    '**/compare.test.js',
    '**/moderated.test.js',
    '**/littles-law.test.js',
    '**/warning-texts.test.js',
    '**/cpu-share.test.js',
    '**/report-problems.test.js',
    '**/report-headline.test.js',
    '**/report-tables.test.js',
    '**/run-order.test.js',
    '**/stability.test.js',
    '**/session.test.js',
    '**/session-interleaved.test.js',
    '**/session-slots.test.js',
    '**/session-cpu.test.js',
    '**/verdict.test.js',
    '**/protocol.test.js',
    '**/store-integrity.test.js',
    '**/phase-edges.test.js',
    '**/cost-window.test.js',
    '**/trial-order.test.js',
    '**/conversation.test.js',
  ],
};
