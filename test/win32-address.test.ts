// Which pipe names the Windows platform takes, decided without Windows (its
// platform module binds nothing until a strategy loads): \\.\pipe\NAME only.
// \\?\pipe\NAME opens with CreateFileW, but WaitNamedPipeW, where a client waits
// for a busy server, rejects it at once, so such a client could never wait.

import { win32 } from '../strategies/win32/platform';

describe('Windows pipe names', () => {
  it('takes \\\\.\\pipe\\NAME', () => {
    expect(win32.addressProblem('\\\\.\\pipe\\pipebench-1')).toBeNull();
    expect(win32.addressProblem('\\\\.\\PIPE\\x')).toBeNull();
  });

  it('refuses \\\\?\\pipe\\NAME in one line saying why and what to give instead', () => {
    expect(win32.addressProblem('\\\\?\\pipe\\pipebench-1')).toBe(
      '"\\\\?\\pipe\\pipebench-1": a client cannot wait for a busy pipe named \\\\?\\pipe\\ (WaitNamedPipeW takes \\\\.\\pipe\\NAME only); give \\\\.\\pipe\\NAME',
    );
  });

  it('refuses what is no pipe name', () => {
    expect(win32.addressProblem('/tmp/x.sock')).toBe('"/tmp/x.sock" is not a named pipe name (expected \\\\.\\pipe\\NAME)');
  });
});
