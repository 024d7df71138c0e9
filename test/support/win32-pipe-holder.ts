// Runs under the WINDOWS node (through Wine) for test/win32-pipe-name.test.ts.
//
//   node.exe win32-pipe-holder.js hold NAME    creates NAME with a raw CreateNamedPipeW (no flags, default
//                                              descriptor), prints "holding", waits for a client, prints
//                                              "connected", and never answers
//   node.exe win32-pipe-holder.js knock NAME   one CreateFileW on NAME; prints {"opened", "code"}
//   node.exe win32-pipe-holder.js dacl NAME    connects to a server, reads the pipe's DACL back as SDDL
//                                              (GetSecurityInfo on its client handle), runs COUNT and BYE;
//                                              prints {"dacl", "sid", "count"}
//   node.exe win32-pipe-holder.js impersonate NAME   serves one COUNT on NAME (a raw instance), impersonating its
//                                              client meanwhile; prints {"level"}: the client's token's
//                                              SECURITY_IMPERSONATION_LEVEL (1 Identification, 2 Impersonation)

import koffi from '../../strategies/koffi';
import * as k32 from '../../strategies/win32/kernel32';
import { openPipe } from './win32-open';
import { Win32Error, check, checkHandle } from '../../strategies/win32/errors';
import { OutParams, addressOf } from '../../strategies/win32/memory';
import { currentUserSid } from '../../strategies/win32/named-pipe';
import { Command } from '../../strategies/protocol';

const [scenario, name] = process.argv.slice(2);
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const out = new OutParams();

// Only this test reads descriptors back, so these two are bound here rather than in kernel32.ts.
const advapi32 = koffi.load('advapi32.dll');
const GetSecurityInfo = advapi32.func(
  'uint32_t GetSecurityInfo(intptr_t handle, int ObjectType, uint32_t SecurityInfo, void *ppsidOwner, void *ppsidGroup, void *ppDacl, void *ppSacl, void *ppSecurityDescriptor)',
) as (handle: number, type: number, info: number, owner: null, group: null, dacl: null, sacl: null, descriptor: number) => number;
const ConvertSecurityDescriptorToStringSecurityDescriptorW = advapi32.func(
  'int ConvertSecurityDescriptorToStringSecurityDescriptorW(intptr_t SecurityDescriptor, uint32_t RequestedStringSDRevision, uint32_t SecurityInformation, void *StringSecurityDescriptor, void *StringSecurityDescriptorLen)',
) as (descriptor: number, revision: number, info: number, text: number, length: null) => number;
const ImpersonateNamedPipeClient = advapi32.func('int ImpersonateNamedPipeClient(intptr_t hNamedPipe)') as (pipe: number) => number;
const RevertToSelf = advapi32.func('int RevertToSelf()') as () => number;
const OpenThreadToken = advapi32.func('int OpenThreadToken(intptr_t ThreadHandle, uint32_t DesiredAccess, int OpenAsSelf, void *TokenHandle)') as (
  thread: number,
  access: number,
  openAsSelf: number,
  token: number,
) => number;
/** TOKEN_INFORMATION_CLASS TokenImpersonationLevel: a SECURITY_IMPERSONATION_LEVEL (DWORD). */
const TokenImpersonationLevel = 9;
const SE_KERNEL_OBJECT = 6;
const DACL_SECURITY_INFORMATION = 4;

function hold(): never {
  const pipe = checkHandle('CreateNamedPipeW', k32.CreateNamedPipeW(name, k32.PIPE_ACCESS_DUPLEX, k32.PIPE_TYPE_BYTE, k32.PIPE_UNLIMITED_INSTANCES, 4096, 4096, 0, null), name);
  process.stdout.write('holding\n');
  if (k32.ConnectNamedPipe(pipe, null) === 0 && k32.GetLastError() !== k32.ERROR_PIPE_CONNECTED) throw new Win32Error('ConnectNamedPipe', k32.GetLastError());
  process.stdout.write('connected\n');
  for (;;) Atomics.wait(sleeper, 0, 0, 1000);
}

function knock(): Record<string, unknown> {
  const pipe = k32.CreateFileW(name, k32.GENERIC_READ | k32.GENERIC_WRITE, 0, null, k32.OPEN_EXISTING, 0, 0);
  const code = pipe === k32.INVALID_HANDLE_VALUE ? k32.GetLastError() : 0;
  return { opened: pipe !== k32.INVALID_HANDLE_VALUE, code };
}

function dacl(): Record<string, unknown> {
  const pipe = openPipe(name, 30_000);
  const found = GetSecurityInfo(pipe, SE_KERNEL_OBJECT, DACL_SECURITY_INFORMATION, null, null, null, null, out.pointer);
  if (found !== 0) throw new Win32Error('GetSecurityInfo', found);
  const descriptor = out.pointerValue;
  check('ConvertSecurityDescriptorToStringSecurityDescriptorW', ConvertSecurityDescriptorToStringSecurityDescriptorW(descriptor, k32.SDDL_REVISION_1, DACL_SECURITY_INFORMATION, out.pointer, null));
  const text = koffi.decode.string16(BigInt(out.pointerValue)) as string;
  k32.LocalFree(out.pointerValue);
  k32.LocalFree(descriptor);
  // COUNT then BYE in one write: the pipe serves as any other.
  const memory = new Int32Array(new SharedArrayBuffer(32));
  const at = addressOf(new Uint32Array(memory.buffer));
  memory[0] = Command.COUNT;
  memory[1] = Command.BYE;
  check('WriteFile', k32.WriteFile(pipe, at, 8, out.dword, null));
  let got = 0;
  while (got < 12) {
    check('ReadFile', k32.ReadFile(pipe, at + 8 + got, 12 - got, out.dword, null));
    got += out.dwordValue;
  }
  k32.CloseHandle(pipe);
  return { dacl: text, sid: currentUserSid(), count: [memory[2], memory[3], memory[4]] };
}

function impersonate(): Record<string, unknown> {
  const pipe = checkHandle('CreateNamedPipeW', k32.CreateNamedPipeW(name, k32.PIPE_ACCESS_DUPLEX, k32.PIPE_TYPE_BYTE, 1, 4096, 4096, 0, null), name);
  process.stdout.write('holding\n');
  if (k32.ConnectNamedPipe(pipe, null) === 0 && k32.GetLastError() !== k32.ERROR_PIPE_CONNECTED) throw new Win32Error('ConnectNamedPipe', k32.GetLastError());
  const memory = new Int32Array(new SharedArrayBuffer(16));
  const at = addressOf(new Uint32Array(memory.buffer));
  check('ReadFile', k32.ReadFile(pipe, at, 4, out.dword, null)); // a pipe server may impersonate only after reading
  check('ImpersonateNamedPipeClient', ImpersonateNamedPipeClient(pipe));
  let level: number;
  try {
    check('OpenThreadToken', OpenThreadToken(k32.GetCurrentThread(), k32.TOKEN_QUERY, 1, out.pointer));
    const token = out.pointerValue;
    check('GetTokenInformation', k32.GetTokenInformation(token, TokenImpersonationLevel, at + 8, 4, out.dword), 'TokenImpersonationLevel');
    k32.CloseHandle(token);
    level = memory[2];
  } finally {
    check('RevertToSelf', RevertToSelf());
  }
  memory[0] = 0; // OK
  memory[1] = 0; // no records
  check('WriteFile', k32.WriteFile(pipe, at, 8, out.dword, null));
  k32.FlushFileBuffers(pipe);
  k32.CloseHandle(pipe);
  return { level };
}

if (scenario === 'hold') hold();
else if (scenario === 'impersonate') process.stdout.write(`${JSON.stringify(impersonate())}\n`);
else if (scenario === 'knock') process.stdout.write(`${JSON.stringify(knock())}\n`);
else if (scenario === 'dacl') process.stdout.write(`${JSON.stringify(dacl())}\n`);
else throw new Error(`unknown scenario ${scenario}`);
