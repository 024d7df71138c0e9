// jest's setupFilesAfterEnv (jest.config.js): what every test file gets.
//
// 1. Whatever a test file does, every process it started through the kit is killed
//    when the file ends, and the wineserver with the Windows processes those started
//    under Wine (spawned.ts endAll).
// 2. On Windows, one kernel32 binding module for the whole jest process. It names a
//    koffi prototype (FileIOCompletionRoutine), and koffi's type names belong to the
//    process, not to jest's module registry, which evaluates modules afresh for each
//    test file: a second evaluation would throw "Duplicate type name". Every test
//    file therefore gets the one instance Node's own require keeps.

import * as path from 'node:path';
import { endAll } from './spawned';

if (process.platform === 'win32') {
  const kernel32 = path.join(__dirname, '..', '..', 'strategies', 'win32', 'kernel32.js');
  // Node's own require: jest hands test files a subclass of node:module whose createRequire
  // leads back to jest's registry; the class it extends is Node's.
  const NodeModule = Object.getPrototypeOf(require('node:module')) as typeof import('node:module');
  const nodeRequire = NodeModule.createRequire(__filename);
  // Through a name other than `jest`, so babel-jest does not hoist the call above these lines.
  const registry = jest;
  registry.mock(kernel32, () => nodeRequire(kernel32));
}

afterAll(endAll);
