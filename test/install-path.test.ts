// The fresh-machine promise, checked on the lockfile: `npm ci` must need no
// compiler, no system library and nothing outside the package registry. A package
// with an install script that compiles (node-gyp and friends) would break that
// silently on a machine without build tools; so would a canvas that is not the
// prebuilt @napi-rs one.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './support/spawned';

interface LockedPackage {
  name?: string;
  version?: string;
  resolved?: string;
  hasInstallScript?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockedPackage> };
const packages = Object.entries(lock.packages).filter(([where]) => where !== '');

// Install scripts that were read and found to build nothing, with why.
const VETTED_INSTALL_SCRIPTS: Record<string, string> = {
  // "cnoke -P . -D src/koffi --prebuild": checks the prebuilt binary shipped inside the package (koffi/build/koffi/<platform>).
  koffi: 'ships a prebuilt binary for every platform inside its registry package',
};

it('has no install script but vetted ones', () => {
  const scripted = packages.filter(([, p]) => p.hasInstallScript).map(([where]) => where.replace(/^.*node_modules\//, ''));
  expect(scripted.filter((name) => !(name in VETTED_INSTALL_SCRIPTS))).toEqual([]);
});

it('depends on no native build tool', () => {
  const builders = /(^|\/)(node-gyp|node-gyp-build|prebuild-install|node-pre-gyp|@mapbox\/node-pre-gyp|cmake-js|nan|node-addon-api)$/;
  expect(packages.map(([where]) => where.replace(/^.*node_modules\//, '')).filter((name) => builders.test(name))).toEqual([]);
});

it('downloads nothing from outside the registry', () => {
  const outside = packages.filter(([, p]) => p.resolved !== undefined && !p.resolved.startsWith('https://registry.npmjs.org/'));
  expect(outside.map(([where, p]) => `${where}: ${p.resolved}`)).toEqual([]);
});

it("installs @napi-rs/canvas (prebuilt, Windows binary included) wherever chartjs-node-canvas asks for canvas", () => {
  const canvases = packages.filter(([where]) => /(^|\/)node_modules\/canvas$/.test(where));
  expect(canvases.length).toBeGreaterThan(0);
  for (const [, p] of canvases) expect([p.name, p.version]).toEqual(['@napi-rs/canvas', '1.0.11']);
  const napi = lock.packages['node_modules/@napi-rs/canvas'];
  expect(napi.version).toBe('1.0.11');
  for (const binary of ['@napi-rs/canvas-linux-x64-gnu', '@napi-rs/canvas-linux-x64-musl', '@napi-rs/canvas-darwin-x64', '@napi-rs/canvas-win32-x64-msvc']) {
    expect([binary, napi.optionalDependencies?.[binary]]).toEqual([binary, '1.0.11']);
    expect([binary, lock.packages[`node_modules/${binary}`]?.version]).toEqual([binary, '1.0.11']);
  }
});
