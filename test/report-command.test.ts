// `pipebench report` re-renders a saved run; `pipebench run` writes the report
// when it ends, and also when it is interrupted.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { childrenOfHarness, killAll, onlyOn, pipebench, tempDir, waitFor } from './support/spawned';
import { tempOut } from './support/runs';
import { FIXTURE_PATH } from './support/report-fixture';

afterEach(killAll);

const REPORT_FILES = ['report.html', 'summary.md', 'cells.csv', 'throughput.png', 'turnaround-p50.png', 'turnaround-p99.png', 'completion.png', 'fairness.png', 'latency-distribution.png', 'warmup.png'];

it('renders every report file from a saved results.json into --out', async () => {
  const out = path.join(tempDir('report'), 'rendered');
  const run = await pipebench(['report', FIXTURE_PATH, '--out', out]).finished;
  expect(run.stderr).toBe(`report: ${path.join(out, 'report.html')}\n`);
  expect(run.code).toBe(0);
  expect(fs.readdirSync(out)).toEqual(expect.arrayContaining([...REPORT_FILES, 'timeline-edge-proxy.png', 'server-cpu.png']));
  expect(fs.readdirSync(out).filter((name) => name.endsWith('.tmp'))).toEqual([]);
});

it('given a run folder, renders the report into that folder', async () => {
  const folder = path.join(tempDir('report-folder'), 'run');
  fs.mkdirSync(folder);
  fs.copyFileSync(FIXTURE_PATH, path.join(folder, 'results.json'));
  const run = await pipebench(['report', folder]).finished;
  expect(run.stderr).toBe(`report: ${path.join(folder, 'report.html')}\n`);
  expect(run.code).toBe(0);
  expect(fs.readdirSync(folder)).toEqual(expect.arrayContaining(REPORT_FILES));
});

it.each<[string, string | null, RegExp]>([
  ['a missing file', null, /results file .*missing\.json does not exist/],
  ['a file that is not JSON', 'results: yes\n', /is not JSON/],
  ['JSON that is not a results file', '{"cells": []}', /missing\.json: not a pipebench results file \(no schemaVersion\)/],
  ['a results file of schema version 1', '{"schemaVersion": 1, "cells": []}', /missing\.json: results schema version 1; this pipebench reads version 3$/],
  ['an unknown schema version', '{"schemaVersion": 99, "cells": []}', /results schema version 99; this pipebench reads version 3$/],
  ['a truncated results file', '{"schemaVersion": 3}', /missing\.json is not a valid results file of schema version 3: startedAt: expected a string, got nothing$/],
])('rejects %s with exit code 2 and one line', async (_what, contents, message) => {
  const file = path.join(tempDir('report-bad'), 'missing.json');
  if (contents !== null) fs.writeFileSync(file, contents);
  const run = await pipebench(['report', file]).finished;
  expect(run.code).toBe(2);
  expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
  expect(run.stderr).toMatch(/^pipebench: /);
});

it('writes the report beside results.json at the end of a run', async () => {
  const out = tempOut('report-run');
  const run = await pipebench(['run', '--strategy', 'sequential', '--clients', '1,2', '--repeat', '1', '--precision', '0', '--transactions', '50', '--idle-probe-ms', '0', '--out', out]).finished;
  expect(run.stderr).toContain(`report: ${path.join(out, 'report.html')}\n`);
  expect(run.code).toBe(0);
  expect(fs.readdirSync(out)).toEqual(expect.arrayContaining([...REPORT_FILES, 'timeline-sequential.png', 'results.json']));
  expect(fs.readFileSync(path.join(out, 'cells.csv'), 'utf8').trimEnd().split('\r\n')).toHaveLength(3);
});

onlyOn('posix', "Ctrl-C reaches the harness's handler only on POSIX (Windows' kill() is TerminateProcess)").it('writes the report of an interrupted run, saying it was interrupted', async () => {
  const out = tempOut('report-int');
  const run = pipebench(['run', '--strategy', 'thread-per-client', '--clients', '2', '--transactions', '1000000', '--idle-probe-ms', '0', '--out', out]);
  const harnessPid = run.child.pid!;
  await waitFor(() => childrenOfHarness(harnessPid).length >= 3, 30000, () => 'the cell never started its clients', run.finished);
  run.child.kill('SIGINT');
  const finished = await run.finished;
  expect(finished.code).toBe(130);
  expect(finished.stderr).toContain(`report: ${path.join(out, 'report.html')}\n`);
  expect(fs.readFileSync(path.join(out, 'report.html'), 'utf8')).toMatch(/This run was interrupted: \d of 3 trials ran, 0 of 1 cells measured\./);
});
