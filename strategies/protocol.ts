// The record protocol, version 1 (shared/PROTOCOL.md): codes, field lengths and
// little-endian int32 helpers shared by servers, clients and tests.

export const PROTOCOL_VERSION = 1;

export const Command = {
  ADD: 1,
  DELETE: 2,
  RETRIEVE: 3,
  COUNT: 4,
  BYE: 5,
} as const;
export type CommandCode = (typeof Command)[keyof typeof Command];

export const Status = {
  OK: 0,
  NOT_FOUND: 1,
  FULL: 2,
  BAD_COMMAND: 3,
} as const;
export type StatusCode = (typeof Status)[keyof typeof Status];

export const COMMAND_BYTES = 4;
export const STATUS_BYTES = 4;
/** Largest argument and largest result: two int32s. */
export const MAX_FIELD_BYTES = 8;

export function isKnownCommand(code: number): code is CommandCode {
  return code >= Command.ADD && code <= Command.BYE;
}

/** Argument length fixed by the command; unknown commands have none (the server closes). */
export function argumentBytes(command: number): number {
  switch (command) {
    case Command.ADD:
      return 8;
    case Command.DELETE:
    case Command.RETRIEVE:
      return 4;
    default:
      return 0;
  }
}

/** Result length when the status is OK. */
export function resultBytes(command: number): number {
  switch (command) {
    case Command.ADD:
    case Command.COUNT:
      return 4;
    case Command.DELETE:
    case Command.RETRIEVE:
      return 8;
    default:
      return 0;
  }
}

export function commandName(code: number): string {
  const entry = Object.entries(Command).find(([, value]) => value === code);
  return entry ? entry[0] : `UNKNOWN(${code})`;
}

export function statusName(code: number): string {
  const entry = Object.entries(Status).find(([, value]) => value === code);
  return entry ? entry[0] : `UNKNOWN(${code})`;
}

/** Encodes one request (command and argument) into `out` at `offset`; returns its length. */
export function encodeRequest(out: DataView, offset: number, command: number, arg0 = 0, arg1 = 0): number {
  out.setInt32(offset, command, true);
  const length = argumentBytes(command);
  if (length >= 4) out.setInt32(offset + 4, arg0, true);
  if (length === 8) out.setInt32(offset + 8, arg1, true);
  return COMMAND_BYTES + length;
}

/** A whole request as a fresh buffer: for tests and tools, not for hot loops. */
export function requestBuffer(command: number, arg0 = 0, arg1 = 0): Buffer {
  const buffer = Buffer.alloc(COMMAND_BYTES + MAX_FIELD_BYTES);
  const length = encodeRequest(new DataView(buffer.buffer, buffer.byteOffset, buffer.length), 0, command, arg0, arg1);
  return buffer.subarray(0, length);
}
