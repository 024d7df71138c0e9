// Small readers that check untrusted JSON (results files, messages from other
// processes) against the shape the code expects, and say exactly where it
// differs: "cells[3].latency.p99Ns: expected a number, got "12"". Each reader
// returns the value with its TypeScript type; schemas are built from them and
// their types inferred (Read<typeof schema>), so the type and the check are one.

export type Reader<T> = (value: unknown, path: string) => T;
export type Read<R> = R extends Reader<infer T> ? T : never;

export class ShapeError extends Error {
  override name = 'ShapeError';
}

function fail(path: string, expected: string, value: unknown): never {
  const got = value === undefined ? 'nothing' : JSON.stringify(value)?.slice(0, 60) ?? String(value);
  throw new ShapeError(`${path || 'the document'}: expected ${expected}, got ${got}`);
}

export const number: Reader<number> = (value, path) => (typeof value === 'number' && Number.isFinite(value) ? value : fail(path, 'a number', value));

export const integer: Reader<number> = (value, path) => (Number.isInteger(value) ? (value as number) : fail(path, 'an integer', value));

export const string: Reader<string> = (value, path) => (typeof value === 'string' ? value : fail(path, 'a string', value));

export const boolean: Reader<boolean> = (value, path) => (typeof value === 'boolean' ? value : fail(path, 'true or false', value));

export function literal<const T extends string | number | boolean>(...allowed: T[]): Reader<T> {
  return (value, path) => ((allowed as unknown[]).includes(value) ? (value as T) : fail(path, allowed.map((a) => JSON.stringify(a)).join(' or '), value));
}

export function nullable<T>(reader: Reader<T>): Reader<T | null> {
  return (value, path) => (value === null ? null : reader(value, path));
}

/** A field added to a schema version after files were written with it: absent reads as null. */
export function absentOrNullable<T>(reader: Reader<T>): Reader<T | null> {
  return (value, path) => (value === undefined || value === null ? null : reader(value, path));
}

export function array<T>(reader: Reader<T>): Reader<T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) fail(path, 'an array', value);
    return value.map((item, i) => reader(item, `${path}[${i}]`));
  };
}

type Shape = Record<string, Reader<unknown>>;
type ObjectOf<S extends Shape> = { [K in keyof S]: Read<S[K]> };

/** An object with exactly these fields checked (extra fields are dropped, so readers see only what they know). */
export function object<S extends Shape>(shape: S): Reader<ObjectOf<S>> {
  return (value, path) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(path, 'an object', value);
    const result: Record<string, unknown> = {};
    for (const [key, reader] of Object.entries(shape)) result[key] = reader((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
    return result as ObjectOf<S>;
  };
}

type Tagged<K extends string, V extends Record<string, Reader<object>>> = { [T in keyof V & string]: Read<V[T]> & { [P in K]: T } }[keyof V & string];

/** One of several object shapes, told apart by the string in `key`. */
export function variant<K extends string, V extends Record<string, Reader<object>>>(key: K, variants: V): Reader<Tagged<K, V>> {
  return (value, path) => {
    const tag = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    const reader = typeof tag === 'string' && Object.hasOwn(variants, tag) ? variants[tag] : undefined;
    if (!reader) fail(path ? `${path}.${key}` : key, Object.keys(variants).map((v) => JSON.stringify(v)).join(' or '), tag);
    return { ...reader(value, path), [key]: tag } as Tagged<K, V>;
  };
}
