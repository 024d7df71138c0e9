// The sanity checks behind cell.warnings, on synthetic numbers.

import { clientBottleneckWarning, littlesLawWarning, trialSpreadWarning } from '../harness/checks';

describe("Little's law", () => {
  it('is quiet when mean turnaround is clients / throughput', () => {
    // 10 clients at 50,000 tps: 200 us each.
    expect(littlesLawWarning(10, 50_000, 200_000)).toBeNull();
    expect(littlesLawWarning(10, 50_000, 235_000)).toBeNull(); // 17.5% off
    expect(littlesLawWarning(1, 10_000, 85_000)).toBeNull(); // 15% off
  });

  it('warns beyond 20% with both numbers', () => {
    const warning = littlesLawWarning(5, 23_157, 21_500);
    expect(warning).toMatch(/5 client\(s\) \/ 23157 tps = 215\.9 us expected/);
    expect(warning).toMatch(/measured 21\.5 us/);
    expect(warning).toMatch(/off by 90%, more than 20%/);
    expect(littlesLawWarning(10, 50_000, 250_000)).toMatch(/off by 25%/);
  });

  it('says nothing without a measurement', () => {
    expect(littlesLawWarning(5, 0, 1000)).toBeNull();
    expect(littlesLawWarning(5, 1000, 0)).toBeNull();
  });
});

describe('client bottleneck', () => {
  it('warns above 80% of the machine, naming the threshold', () => {
    expect(clientBottleneckWarning(0.8, 2)).toBeNull();
    expect(clientBottleneckWarning(0.93, 2)).toMatch(/clients used 93% of the machine's 2 core\(s\).*more than 80%/);
  });
});

describe('trial disagreement', () => {
  it('warns when the spread exceeds 10% of the median', () => {
    const tps = (v: number) => `${v} tps`;
    expect(trialSpreadWarning('throughput', [100, 105, 108], 0.08, tps)).toBeNull();
    expect(trialSpreadWarning('throughput', [100, 130], 0.26, tps)).toMatch(/trials disagree on throughput: 100 tps, 130 tps \(spread 26% of the median, more than 10%\)/);
    expect(trialSpreadWarning('throughput', [100], 0.5, tps)).toBeNull();
  });
});
