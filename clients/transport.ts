// A client's connection to a server: one request out, one response in, with no
// allocation or promise per transaction. Each platform has one implementation.

import { backend } from '../strategies/platform';

export const REQUEST_BYTES_MAX = 12;
export const REPLY_BYTES_MAX = 12;

/** The connection ended or failed mid-script. */
export class ConnectionLost extends Error {
  override name = 'ConnectionLost';
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

export function connect(address: string, options: ConnectOptions): Transport {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const module = backend === 'win32' ? require('./win32-pipe') : require('./posix-socket');
  return module.connect(address, options) as Transport;
}
