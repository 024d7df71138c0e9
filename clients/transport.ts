// A client's connection to a server: one request out, one response in, with no
// allocation or promise per transaction. Each platform has one implementation
// (strategies/posix/socket-transport.ts, strategies/win32/pipe-transport.ts),
// reached through platform.connect().

export const REQUEST_BYTES_MAX = 12;
export const REPLY_BYTES_MAX = 12;

/** The connection ended or failed mid-script. */
export class ConnectionLost extends Error {
  override name = 'ConnectionLost';
}

/** A server that sent result bytes after a status that has none: the stream can no longer be read in step. */
export function resultAfterStatus(status: number, bytes: number): string {
  return `server sent ${bytes} result bytes after status ${status}, which has no result`;
}

export interface Transport {
  /** Encode requests here (command at 0, argument at 4). */
  readonly request: DataView;
  /** Responses land here (status at 0, result at 4). */
  readonly reply: DataView;
  /**
   * Sends the first `requestBytes` of `request`, reads the status and, when it is
   * OK, `okResultBytes` more. Returns the status; throws ConnectionLost on end of stream.
   */
  roundTrip(requestBytes: number, okResultBytes: number): number;
  /** Reads until the server closes; true when it did with nothing more sent. */
  expectClosed(): boolean;
  close(): void;
}

export interface ConnectOptions {
  /** Keep retrying a server that is not there yet (or busy) until this deadline. */
  timeoutMs: number;
}
