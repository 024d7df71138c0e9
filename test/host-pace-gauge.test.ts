// The host pace gauge: a real thread answering wake-ups, timed; closed, it measures no more.

import { HostPaceGauge } from '../harness/processes/host-pace';

it('measures a wake-up round trip between two threads, and stops when closed', async () => {
  const gauge = await HostPaceGauge.start();
  try {
    const first = gauge.measureUs();
    const second = gauge.measureUs();
    // A round trip is two thread wake-ups: more than nothing, far less than a second on any machine.
    for (const us of [first, second]) {
      expect(us).toBeGreaterThan(0);
      expect(us).toBeLessThan(1_000_000);
    }
  } finally {
    gauge.close();
  }
  expect(() => gauge.measureUs()).toThrow('the host pace gauge is closed');
});
