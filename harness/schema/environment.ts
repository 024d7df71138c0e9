// What every figure was measured under.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { platform } from '../../strategies/platform';
import type { Environment } from './results';
import { REPO_ROOT } from '../paths';

export function pipebenchVersion(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

export function describeEnvironment(): Environment {
  const cpus = os.cpus();
  return {
    os: process.platform,
    osLabel: platform.label(),
    kernel: os.release(),
    wine: platform.wineVersion(),
    arch: process.arch,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: os.availableParallelism(),
    memoryBytes: os.totalmem(),
    node: process.version,
    pipebench: pipebenchVersion(),
    hostname: os.hostname(),
    loadAverage: os.loadavg()[0],
    clientTransport: platform.clientTransport(),
  };
}
