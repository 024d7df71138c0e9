// Addresses servers listen on, whatever the platform: what a pipe name looks
// like, whether somebody answers there, and the error for an address in use.

import * as net from 'node:net';

/** True for \\.\pipe\NAME (and \\?\pipe\NAME): a Windows pipe name, on any OS. */
export function isPipeName(address: string): boolean {
  return /^\\\\[.?]\\pipe\\./i.test(address);
}

/** Somebody else holds the address: the message says who and where. */
export class AddressInUse extends Error {
  override name = 'AddressInUse';
}

/** True when a server accepts a connection at `address` (Node's net speaks Unix sockets and named pipes alike). */
export function answers(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(address);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
