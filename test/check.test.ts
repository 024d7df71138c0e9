// Untrusted JSON is checked against its shape, and a mismatch names the path.

import { absentOrNullable, array, boolean, integer, literal, nullable, number, object, ShapeError, string, variant } from '../contract/check';
import { readRunResults } from '../harness/schema/results';

const shape = object({ name: string, counts: array(integer), ratio: nullable(number), kind: literal('a', 'b') });

it('returns exactly the declared fields', () => {
  expect(shape({ name: 'x', counts: [1, 2], ratio: null, kind: 'a', extra: true }, '')).toEqual({ name: 'x', counts: [1, 2], ratio: null, kind: 'a' });
});

it.each<[unknown, string]>([
  [{ name: 1, counts: [], ratio: null, kind: 'a' }, 'name: expected a string, got 1'],
  [{ name: 'x', counts: [1, 2.5], ratio: null, kind: 'a' }, 'counts[1]: expected an integer, got 2.5'],
  [{ name: 'x', counts: [], ratio: 'NaN', kind: 'a' }, 'ratio: expected a number, got "NaN"'],
  [{ name: 'x', counts: [], ratio: 1, kind: 'c' }, 'kind: expected "a" or "b", got "c"'],
  [{ name: 'x', counts: {}, ratio: 1, kind: 'a' }, 'counts: expected an array, got {}'],
  [[], 'the document: expected an object, got []'],
])('rejects %j with "%s"', (value, message) => {
  expect(() => shape(value, '')).toThrow(new ShapeError(message));
});

it('reads a field added after files were written as null when absent, and checks it when present', () => {
  const later = object({ n: integer, share: absentOrNullable(number) });
  expect(later({ n: 1 }, '')).toEqual({ n: 1, share: null });
  expect(later({ n: 1, share: null }, '')).toEqual({ n: 1, share: null });
  expect(later({ n: 1, share: 0.5 }, '')).toEqual({ n: 1, share: 0.5 });
  expect(() => later({ n: 1, share: '0.5' }, 'w')).toThrow('w.share: expected a number, got "0.5"');
});

it('tells variants apart by their tag and keeps the tag', () => {
  const message = variant('type', { ping: object({}), data: object({ n: integer }) });
  expect(message({ type: 'data', n: 3 }, 'm')).toEqual({ type: 'data', n: 3 });
  expect(() => message({ type: 'pong' }, 'm')).toThrow('m.type: expected "ping" or "data", got "pong"');
});

it('refuses a results file of another schema version by name', () => {
  expect(() => readRunResults({ schemaVersion: 1, cells: [] }, '')).toThrow('results schema version 1; this pipebench reads version 3');
  expect(() => readRunResults({ cells: [] }, '')).toThrow('not a pipebench results file (no schemaVersion)');
  // JSON that is not an object at all: null, a number, a string.
  for (const notAnObject of [null, 2, '{"schemaVersion":2}']) {
    expect(() => readRunResults(notAnObject, '')).toThrow('not a pipebench results file (no schemaVersion)');
  }
});

describe('each reader refuses what is not its type', () => {
  it('numbers: finite only', () => {
    expect(number(1.5, 'n')).toBe(1.5);
    expect(() => number(Infinity, 'n')).toThrow('n: expected a number, got null');
    expect(() => number(NaN, 'n')).toThrow('n: expected a number, got null');
    expect(() => number('1', 'n')).toThrow('n: expected a number, got "1"');
  });

  it('booleans: true or false only', () => {
    expect(boolean(false, 'b')).toBe(false);
    expect(() => boolean('true', 'b')).toThrow(new ShapeError('b: expected true or false, got "true"'));
    expect(() => boolean(0, 'b')).toThrow('b: expected true or false, got 0');
  });

  it('objects: not null, not a number', () => {
    expect(() => shape(null, 'o')).toThrow(new ShapeError('o: expected an object, got null'));
    expect(() => shape(5, 'o')).toThrow('o: expected an object, got 5');
  });

  it('variants: a value with no tag names the tag it lacks', () => {
    const message = variant('type', { ping: object({}) });
    expect(() => message(null, 'm')).toThrow('m.type: expected "ping", got nothing');
    expect(() => message('ping', 'm')).toThrow('m.type: expected "ping", got nothing');
    expect(() => message({ type: 7 }, '')).toThrow('type: expected "ping", got 7');
    expect(() => message({ type: 'toString' }, 'm')).toThrow('m.type: expected "ping", got "toString"'); // own keys only
  });

  it('says "nothing" for a missing value and cuts a long one at 60 characters', () => {
    expect(() => number(undefined, 'x')).toThrow('x: expected a number, got nothing');
    expect(() => number('a'.repeat(100), 'x')).toThrow(`x: expected a number, got "${'a'.repeat(59)}`);
    try {
      number('a'.repeat(100), 'x');
    } catch (error) {
      expect((error as Error).message).toBe(`x: expected a number, got "${'a'.repeat(59)}`);
      expect((error as Error).name).toBe('ShapeError');
    }
  });
});
