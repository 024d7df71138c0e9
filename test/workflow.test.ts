// The GitHub Actions workflow: valid against SchemaStore's workflow schema (the
// action-validator wasm build), running on Windows and Linux with Node 20 and 22,
// and using only commands the README documents.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const source = fs.readFileSync(path.join(ROOT, '.github', 'workflows', 'ci.yml'), 'utf8');
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  'runs-on': string;
  strategy: { matrix: { os: string[]; node: number[] } };
  steps: Step[];
}
const workflow = parse(source) as { jobs: Record<string, Job> };
const jobs = Object.values(workflow.jobs);
const steps = jobs.flatMap((job) => job.steps);

describe('.github/workflows/ci.yml', () => {
  it('passes the workflow schema check', () => {
    expect(validateWorkflow(source).errors).toEqual([]);
  });

  it('is checked by a validator that does reject a broken workflow', () => {
    expect(validateWorkflow('on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    stepz: []\n').errors).not.toEqual([]);
    expect(validateWorkflow('on: [push\n').errors[0].code).toBe('parse_error');
  });

  it('runs on windows-latest and ubuntu-latest with Node 20 and 22', () => {
    expect(jobs).toHaveLength(1);
    const [job] = jobs;
    expect(job['runs-on']).toBe('${{ matrix.os }}');
    expect([...job.strategy.matrix.os].sort()).toEqual(['ubuntu-latest', 'windows-latest']);
    expect([...job.strategy.matrix.node].sort()).toEqual([20, 22]);
    const setupNode = steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
    expect(setupNode?.with?.['node-version']).toBe('${{ matrix.node }}');
  });

  it('installs, tests, runs a short benchmark and uploads its results', () => {
    const commands = steps.flatMap((step) => (step.run ? [step.run.trim()] : []));
    expect(commands).toEqual(['npm ci', 'bash .ci/setup-wine.sh', 'npm test', 'npx pipebench run --strategy all --clients 1,5,10,20 --out results/ci']);
    const upload = steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.with?.path).toBe('results/ci');
  });

  it('uses only commands the README documents', () => {
    for (const step of steps) {
      if (step.run) expect(readme).toContain(step.run.trim());
    }
  });
});
