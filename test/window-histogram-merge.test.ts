// Issue 22 defect 9: a measuring window's turnarounds, as a client records them
// and the harness merges them (steadyFigures), keep the precision of the trial's
// own histogram: three significant digits, so a window's p50 is within 0.1 % of
// the one value it holds. (With two-digit windows merged into a three-digit
// histogram, 1,234,567 ns read 1,229,823: 0.4 % low.)

import { steadyFigures, TrialInputs } from '../harness/measure/trial-figures';
import { encodeHistogram, newWindowHistogram } from '../clients/histogram';
import { report } from './support/synthetic-reports';

const VALUE_NS = 1_234_567;
// Three significant digits: every recorded value reads back within 1/1000 of itself.
const THREE_DIGITS = 0.001;

function windowOf(valueNs: number, times: number): string {
  const histogram = newWindowHistogram();
  for (let i = 0; i < times; i++) histogram.recordValue(valueNs);
  return encodeHistogram(histogram);
}

it('reads a window p50 and p99 within three significant digits of the value recorded', () => {
  const base = report({ clientIndex: 0, windowCounts: [3], turnaroundNs: VALUE_NS });
  const client = { ...base, steady: { ...base.steady!, windowHistograms: [windowOf(VALUE_NS, 3)] } };
  const inputs: TrialInputs = {
    clients: 1,
    reports: new Map([[0, client]]),
    fatalities: new Map(),
    steady: { startMs: 0, windows: 1, windowMs: 100 },
    script: null,
    serverCost: null,
    responsiveness: null,
  };
  const [window] = steadyFigures(inputs)!.windows;
  expect({ p50Ns: window.p50Ns, within: Math.abs(window.p50Ns - VALUE_NS) / VALUE_NS <= THREE_DIGITS }).toEqual({ p50Ns: window.p50Ns, within: true });
  expect(Math.abs(window.p99Ns - VALUE_NS) / VALUE_NS).toBeLessThanOrEqual(THREE_DIGITS);
});
