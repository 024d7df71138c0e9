// The project's import graph, read from the TypeScript sources (type-only imports
// included: they tie files as much as any): clients/, strategies/ and contract/
// import nothing from harness/, contract/ nothing from clients/, and no files
// import each other in a circle.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './support/spawned';

const FOLDERS = ['clients', 'contract', 'harness', 'reports', 'strategies'];
const IMPORT = /(?:\bfrom\s+|\brequire\(\s*|\bimport\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const at = path.join(dir, entry.name);
    return entry.isDirectory() ? sources(at) : entry.name.endsWith('.ts') ? [at] : [];
  });
}

/** file -> the project files it imports, as paths relative to the root ('clients/client.ts'). */
export function importGraph(root: string, folders: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of folders.flatMap((folder) => sources(path.join(root, folder)))) {
    const text = fs.readFileSync(file, 'utf8');
    const targets = [...text.matchAll(IMPORT)].flatMap((match) => {
      const target = path.resolve(path.dirname(file), match[1]);
      const candidates = [`${target}.ts`, path.join(target, 'index.ts')];
      const found = candidates.find((candidate) => fs.existsSync(candidate));
      return found ? [path.relative(root, found).split(path.sep).join('/')] : [];
    });
    graph.set(path.relative(root, file).split(path.sep).join('/'), [...new Set(targets)]);
  }
  return graph;
}

/** Every circle of files (Tarjan's strongly connected components of more than one file, or a file importing itself). */
export function circles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (file: string) => {
    index.set(file, next);
    low.set(file, next++);
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) low.set(file, Math.min(low.get(file)!, index.get(target)!));
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      if (component.length > 1 || (graph.get(file) ?? []).includes(file)) found.push(component.sort());
    }
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

const graph = importGraph(ROOT, FOLDERS);
const importsFrom = (from: string, to: string) =>
  [...graph].flatMap(([file, targets]) => (file.startsWith(`${from}/`) ? targets.filter((t) => t.startsWith(`${to}/`)).map((t) => `${file} -> ${t}`) : []));

it('reads the graph (the checks below would pass on an empty one)', () => {
  expect(graph.get('harness/processes/child.ts')).toEqual(expect.arrayContaining(['contract/messages.ts']));
  expect(graph.size).toBeGreaterThan(100);
});

it.each([
  ['clients', 'harness'],
  ['strategies', 'harness'],
  ['contract', 'harness'],
  ['contract', 'clients'],
])('%s/ imports nothing from %s/', (from, to) => {
  expect(importsFrom(from, to)).toEqual([]);
});

it('has no circle of imports', () => {
  expect(circles(graph)).toEqual([]);
});

it('finds a circle where there is one', () => {
  const planted = new Map([
    ['a.ts', ['b.ts']],
    ['b.ts', ['c.ts']],
    ['c.ts', ['a.ts', 'd.ts']],
    ['d.ts', []],
    ['e.ts', ['e.ts']],
  ]);
  expect(circles(planted)).toEqual([['a.ts', 'b.ts', 'c.ts'], ['e.ts']]);
});
