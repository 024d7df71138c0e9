// A process whose CPU time test/cpu-time.test.ts reads from outside. On each line
// of stdin it burns a fixed count of iterations, then prints its own CPU time
// (process.cpuUsage: getrusage, in microseconds) and waits again. The first burn
// happens before the first print, so the measured burns run already-optimised code.

const ITERATIONS = Number(process.argv[2]);
let sink = 0;

function burn(): void {
  for (let i = 0; i < ITERATIONS; i++) sink = (sink * 31 + i) | 0;
}

function report(): void {
  const usage = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuUs: usage.user + usage.system, sink })}\n`);
}

burn();
report();
process.stdin.on('data', () => {
  burn();
  report();
});
