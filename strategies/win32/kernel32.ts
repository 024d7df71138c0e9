// kernel32 through koffi: the one module that binds the Win32 API. HANDLEs are
// declared intptr_t so they are plain Numbers (INVALID_HANDLE_VALUE is -1) that
// pass to worker threads as they are. Pointers the OS keeps using after a call
// returns (OVERLAPPED, I/O buffers) are passed as Number addresses of memory that
// never moves (SharedArrayBuffer-backed, see addressOf). Constants are named as in
// the Windows headers; failures become Win32Error carrying the code and its name,
// read with GetLastError right after the failing call. Expected codes
// (ERROR_IO_PENDING, ERROR_PIPE_CONNECTED, ERROR_BROKEN_PIPE...) are outcomes that
// callers test on their hot paths, not exceptions.

import koffi from '../koffi';

const kernel32 = koffi.load('kernel32.dll');
const advapi32 = koffi.load('advapi32.dll');

export const INVALID_HANDLE_VALUE = -1;
export const INFINITE = 0xffffffff;

export const PIPE_ACCESS_INBOUND = 0x1;
export const PIPE_ACCESS_OUTBOUND = 0x2;
export const PIPE_ACCESS_DUPLEX = 0x3;
export const FILE_FLAG_OVERLAPPED = 0x40000000;
export const FILE_FLAG_FIRST_PIPE_INSTANCE = 0x00080000;
export const PIPE_TYPE_BYTE = 0x0;
export const PIPE_READMODE_BYTE = 0x0;
export const PIPE_WAIT = 0x0;
export const PIPE_REJECT_REMOTE_CLIENTS = 0x8;
export const PIPE_UNLIMITED_INSTANCES = 255;
export const NMPWAIT_USE_DEFAULT_WAIT = 0;

export const GENERIC_READ = 0x80000000;
export const GENERIC_WRITE = 0x40000000;
export const OPEN_EXISTING = 3;

/** SECURITY_ATTRIBUTES on x64: nLength@0 (DWORD), lpSecurityDescriptor@8, bInheritHandle@16. */
export const SECURITY_ATTRIBUTES_BYTES = 24;
export const SDDL_REVISION_1 = 1;
export const TOKEN_QUERY = 0x8;
/** TOKEN_INFORMATION_CLASS TokenUser: a TOKEN_USER, whose first field is the user's PSID. */
export const TokenUser = 1;

export const TH32CS_SNAPTHREAD = 0x4;
export const PROCESS_VM_READ = 0x10;
export const PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;

export const WAIT_OBJECT_0 = 0;
export const WAIT_ABANDONED_0 = 0x80;
export const WAIT_IO_COMPLETION = 0xc0;
export const WAIT_TIMEOUT = 0x102;
export const WAIT_FAILED = 0xffffffff;
export const MAXIMUM_WAIT_OBJECTS = 64;

export const ERROR_SUCCESS = 0;
export const ERROR_FILE_NOT_FOUND = 2;
export const ERROR_ACCESS_DENIED = 5;
export const ERROR_INVALID_HANDLE = 6;
export const ERROR_NO_MORE_FILES = 18;
export const ERROR_HANDLE_EOF = 38;
export const ERROR_INVALID_PARAMETER = 87;
export const ERROR_BROKEN_PIPE = 109;
export const ERROR_SEM_TIMEOUT = 121;
export const ERROR_PIPE_BUSY = 231;
export const ERROR_NO_DATA = 232;
export const ERROR_PIPE_NOT_CONNECTED = 233;
export const ERROR_MORE_DATA = 234;
export const ERROR_PIPE_CONNECTED = 535;
export const ERROR_PIPE_LISTENING = 536;
export const ERROR_OPERATION_ABORTED = 995;
export const ERROR_IO_INCOMPLETE = 996;
export const ERROR_IO_PENDING = 997;
export const ERROR_NOT_FOUND = 1168;
export const ABANDONED_WAIT_0 = 735;

/** OVERLAPPED: Internal@0, InternalHigh@8, Offset@16, OffsetHigh@20, hEvent@24. */
export const OVERLAPPED_BYTES = 32;
export const OVERLAPPED_HEVENT = 24;

/** THREADENTRY32: dwSize@0, cntUsage@4, th32ThreadID@8, th32OwnerProcessID@12, tpBasePri@16, tpDeltaPri@20, dwFlags@24. */
export const THREADENTRY32_BYTES = 28;
/** PROCESS_MEMORY_COUNTERS on x64: cb@0, PageFaultCount@4, then SIZE_Ts: PeakWorkingSetSize@8, WorkingSetSize@16, ... PeakPagefileUsage@64. */
export const PROCESS_MEMORY_COUNTERS_BYTES = 72;

type Address = number | bigint;

// Wide strings: koffi converts a JS string to NUL-terminated UTF-16 for `const char16_t *`.
export const CreateNamedPipeW = kernel32.func(
  'intptr_t CreateNamedPipeW(const char16_t *lpName, uint32_t dwOpenMode, uint32_t dwPipeMode, uint32_t nMaxInstances, uint32_t nOutBufferSize, uint32_t nInBufferSize, uint32_t nDefaultTimeOut, void *lpSecurityAttributes)',
) as (name: string, openMode: number, pipeMode: number, maxInstances: number, outBytes: number, inBytes: number, defaultTimeoutMs: number, security: Address | null) => number;
export const ConnectNamedPipe = kernel32.func('int ConnectNamedPipe(intptr_t hNamedPipe, void *lpOverlapped)') as (pipe: number, overlapped: Address | null) => number;
export const DisconnectNamedPipe = kernel32.func('int DisconnectNamedPipe(intptr_t hNamedPipe)') as (pipe: number) => number;
/** Only lpCurInstances is used here: how many instances the pipe has, whichever process created them. */
export const GetNamedPipeHandleStateW = kernel32.func(
  'int GetNamedPipeHandleStateW(intptr_t hNamedPipe, void *lpState, void *lpCurInstances, void *lpMaxCollectionCount, void *lpCollectDataTimeout, void *lpUserName, uint32_t nMaxUserNameSize)',
) as (pipe: number, state: null, currentInstances: Address, maxCollection: null, collectTimeout: null, userName: null, userNameChars: number) => number;
export const FlushFileBuffers = kernel32.func('int FlushFileBuffers(intptr_t hFile)') as (file: number) => number;
export const CreateFileW = kernel32.func(
  'intptr_t CreateFileW(const char16_t *lpFileName, uint32_t dwDesiredAccess, uint32_t dwShareMode, void *lpSecurityAttributes, uint32_t dwCreationDisposition, uint32_t dwFlagsAndAttributes, intptr_t hTemplateFile)',
) as (name: string, access: number, share: number, security: null, creation: number, flags: number, template: number) => number;
export const WaitNamedPipeW = kernel32.func('int WaitNamedPipeW(const char16_t *lpNamedPipeName, uint32_t nTimeOut)') as (name: string, timeoutMs: number) => number;
export const ReadFile = kernel32.func('int ReadFile(intptr_t hFile, void *lpBuffer, uint32_t nNumberOfBytesToRead, void *lpNumberOfBytesRead, void *lpOverlapped)') as (
  file: number,
  buffer: Address,
  length: number,
  bytesRead: Address | null,
  overlapped: Address | null,
) => number;
export const WriteFile = kernel32.func('int WriteFile(intptr_t hFile, void *lpBuffer, uint32_t nNumberOfBytesToWrite, void *lpNumberOfBytesWritten, void *lpOverlapped)') as (
  file: number,
  buffer: Address,
  length: number,
  bytesWritten: Address | null,
  overlapped: Address | null,
) => number;

/** LPOVERLAPPED_COMPLETION_ROUTINE; lpOverlapped arrives as a Number address. */
export const LPOVERLAPPED_COMPLETION_ROUTINE = koffi.pointer(
  koffi.proto('void __stdcall FileIOCompletionRoutine(uint32_t dwErrorCode, uint32_t dwNumberOfBytesTransfered, intptr_t lpOverlapped)'),
);
export type CompletionRoutine = (errorCode: number, bytesTransferred: number, overlapped: number) => void;

export const ReadFileEx = kernel32.func('int ReadFileEx(intptr_t hFile, void *lpBuffer, uint32_t nNumberOfBytesToRead, void *lpOverlapped, void *lpCompletionRoutine)') as (
  file: number,
  buffer: Address,
  length: number,
  overlapped: Address,
  routine: bigint,
) => number;
export const WriteFileEx = kernel32.func('int WriteFileEx(intptr_t hFile, void *lpBuffer, uint32_t nNumberOfBytesToWrite, void *lpOverlapped, void *lpCompletionRoutine)') as (
  file: number,
  buffer: Address,
  length: number,
  overlapped: Address,
  routine: bigint,
) => number;
export const GetOverlappedResult = kernel32.func('int GetOverlappedResult(intptr_t hFile, void *lpOverlapped, void *lpNumberOfBytesTransferred, int bWait)') as (
  file: number,
  overlapped: Address,
  bytesTransferred: Address,
  wait: number,
) => number;
export const CancelIoEx = kernel32.func('int CancelIoEx(intptr_t hFile, void *lpOverlapped)') as (file: number, overlapped: Address | null) => number;

export const CreateEventW = kernel32.func('intptr_t CreateEventW(void *lpEventAttributes, int bManualReset, int bInitialState, const char16_t *lpName)') as (
  security: null,
  manualReset: number,
  initialState: number,
  name: null,
) => number;
export const SetEvent = kernel32.func('int SetEvent(intptr_t hEvent)') as (event: number) => number;
export const ResetEvent = kernel32.func('int ResetEvent(intptr_t hEvent)') as (event: number) => number;
export const WaitForSingleObject = kernel32.func('uint32_t WaitForSingleObject(intptr_t hHandle, uint32_t dwMilliseconds)') as (handle: number, timeoutMs: number) => number;
export const WaitForSingleObjectEx = kernel32.func('uint32_t WaitForSingleObjectEx(intptr_t hHandle, uint32_t dwMilliseconds, int bAlertable)') as (
  handle: number,
  timeoutMs: number,
  alertable: number,
) => number;
/** lpHandles: the address of an array of 64-bit HANDLEs (see HandleArray). */
export const WaitForMultipleObjects = kernel32.func('uint32_t WaitForMultipleObjects(uint32_t nCount, void *lpHandles, int bWaitAll, uint32_t dwMilliseconds)') as (
  count: number,
  handles: Address,
  waitAll: number,
  timeoutMs: number,
) => number;
export const WaitForMultipleObjectsEx = kernel32.func(
  'uint32_t WaitForMultipleObjectsEx(uint32_t nCount, void *lpHandles, int bWaitAll, uint32_t dwMilliseconds, int bAlertable)',
) as (count: number, handles: Address, waitAll: number, timeoutMs: number, alertable: number) => number;
export const SleepEx = kernel32.func('uint32_t SleepEx(uint32_t dwMilliseconds, int bAlertable)') as (timeoutMs: number, alertable: number) => number;

export const CreateIoCompletionPort = kernel32.func('intptr_t CreateIoCompletionPort(intptr_t FileHandle, intptr_t ExistingCompletionPort, uintptr_t CompletionKey, uint32_t NumberOfConcurrentThreads)') as (
  file: number,
  existingPort: number,
  key: number,
  concurrentThreads: number,
) => number;
/** lpCompletionKey and lpOverlapped receive 64-bit values: pass addresses of 8-byte slots. */
export const GetQueuedCompletionStatus = kernel32.func(
  'int GetQueuedCompletionStatus(intptr_t CompletionPort, void *lpNumberOfBytesTransferred, void *lpCompletionKey, void *lpOverlapped, uint32_t dwMilliseconds)',
) as (port: number, bytesTransferred: Address, key: Address, overlapped: Address, timeoutMs: number) => number;
export const PostQueuedCompletionStatus = kernel32.func(
  'int PostQueuedCompletionStatus(intptr_t CompletionPort, uint32_t dwNumberOfBytesTransferred, uintptr_t dwCompletionKey, void *lpOverlapped)',
) as (port: number, bytesTransferred: number, key: number, overlapped: Address | null) => number;

export const OpenProcess = kernel32.func('intptr_t OpenProcess(uint32_t dwDesiredAccess, int bInheritHandle, uint32_t dwProcessId)') as (
  access: number,
  inherit: number,
  processId: number,
) => number;
export const CreateToolhelp32Snapshot = kernel32.func('intptr_t CreateToolhelp32Snapshot(uint32_t dwFlags, uint32_t th32ProcessID)') as (flags: number, processId: number) => number;
export const Thread32First = kernel32.func('int Thread32First(intptr_t hSnapshot, void *lpte)') as (snapshot: number, entry: Address) => number;
export const Thread32Next = kernel32.func('int Thread32Next(intptr_t hSnapshot, void *lpte)') as (snapshot: number, entry: Address) => number;
// psapi's GetProcessMemoryInfo is exported by kernel32 itself under this name (Windows 7 and later).
export const K32GetProcessMemoryInfo = kernel32.func('int K32GetProcessMemoryInfo(intptr_t Process, void *ppsmemCounters, uint32_t cb)') as (
  process: number,
  counters: Address,
  bytes: number,
) => number;

export const CloseHandle = kernel32.func('int CloseHandle(intptr_t hObject)') as (handle: number) => number;
/** Frees memory the system allocated for the caller (security descriptors, SID strings); returns 0 on success. */
export const LocalFree = kernel32.func('intptr_t LocalFree(intptr_t hMem)') as (memory: number) => number;
export const GetCurrentProcess = kernel32.func('intptr_t GetCurrentProcess()') as () => number;

// advapi32: the current user's SID, and security descriptors from SDDL.
/** TokenHandle: the address of a HANDLE slot (OutParams.pointer). */
export const OpenProcessToken = advapi32.func('int OpenProcessToken(intptr_t ProcessHandle, uint32_t DesiredAccess, void *TokenHandle)') as (
  process: number,
  access: number,
  token: Address,
) => number;
export const GetTokenInformation = advapi32.func(
  'int GetTokenInformation(intptr_t TokenHandle, int TokenInformationClass, void *TokenInformation, uint32_t TokenInformationLength, void *ReturnLength)',
) as (token: number, infoClass: number, info: Address, length: number, returned: Address) => number;
/** StringSid: the address of a pointer slot that receives a LocalAlloc'd UTF-16 string. */
export const ConvertSidToStringSidW = advapi32.func('int ConvertSidToStringSidW(intptr_t Sid, void *StringSid)') as (sid: number, stringSid: Address) => number;
/** SecurityDescriptor: the address of a pointer slot that receives a LocalAlloc'd self-relative descriptor. */
export const ConvertStringSecurityDescriptorToSecurityDescriptorW = advapi32.func(
  'int ConvertStringSecurityDescriptorToSecurityDescriptorW(const char16_t *StringSecurityDescriptor, uint32_t StringSDRevision, void *SecurityDescriptor, void *SecurityDescriptorSize)',
) as (sddl: string, revision: number, descriptor: Address, size: null) => number;
export const GetLastError = kernel32.func('uint32_t GetLastError()') as () => number;

const errorNames = new Map<number, string>([
  [ERROR_SUCCESS, 'ERROR_SUCCESS'],
  [ERROR_FILE_NOT_FOUND, 'ERROR_FILE_NOT_FOUND'],
  [ERROR_ACCESS_DENIED, 'ERROR_ACCESS_DENIED'],
  [ERROR_INVALID_HANDLE, 'ERROR_INVALID_HANDLE'],
  [ERROR_NO_MORE_FILES, 'ERROR_NO_MORE_FILES'],
  [ERROR_HANDLE_EOF, 'ERROR_HANDLE_EOF'],
  [ERROR_INVALID_PARAMETER, 'ERROR_INVALID_PARAMETER'],
  [ERROR_BROKEN_PIPE, 'ERROR_BROKEN_PIPE'],
  [ERROR_SEM_TIMEOUT, 'ERROR_SEM_TIMEOUT'],
  [ERROR_PIPE_BUSY, 'ERROR_PIPE_BUSY'],
  [ERROR_NO_DATA, 'ERROR_NO_DATA'],
  [ERROR_PIPE_NOT_CONNECTED, 'ERROR_PIPE_NOT_CONNECTED'],
  [ERROR_MORE_DATA, 'ERROR_MORE_DATA'],
  [ERROR_PIPE_CONNECTED, 'ERROR_PIPE_CONNECTED'],
  [ERROR_PIPE_LISTENING, 'ERROR_PIPE_LISTENING'],
  [ERROR_OPERATION_ABORTED, 'ERROR_OPERATION_ABORTED'],
  [ERROR_IO_INCOMPLETE, 'ERROR_IO_INCOMPLETE'],
  [ERROR_IO_PENDING, 'ERROR_IO_PENDING'],
  [ERROR_NOT_FOUND, 'ERROR_NOT_FOUND'],
  [ABANDONED_WAIT_0, 'ABANDONED_WAIT_0'],
]);

export function errorName(code: number): string {
  return errorNames.get(code) ?? `error ${code}`;
}

/** A failed kernel32 call: which call, the GetLastError code and its name. */
export class Win32Error extends Error {
  readonly code: number;
  readonly codeName: string;
  readonly call: string;

  constructor(call: string, code: number, detail?: string) {
    super(`${call}${detail ? ` (${detail})` : ''} failed: ${errorName(code)} (${code})`);
    this.name = 'Win32Error';
    this.call = call;
    this.code = code;
    this.codeName = errorName(code);
  }
}

/** Throws Win32Error when a BOOL-returning call failed. */
export function check(call: string, ok: number, detail?: string): void {
  if (ok === 0) throw new Win32Error(call, GetLastError(), detail);
}

/** Throws Win32Error when a HANDLE-returning call returned INVALID_HANDLE_VALUE (or NULL, for events and ports). */
export function checkHandle(call: string, handle: number, detail?: string): number {
  if (handle === INVALID_HANDLE_VALUE || handle === 0) throw new Win32Error(call, GetLastError(), detail);
  return handle;
}

/** The fixed address of memory the OS may use after a call returns (SharedArrayBuffer-backed). */
export function addressOf(bytes: Uint8Array | BigInt64Array | Uint32Array): number {
  return Number(koffi.address(bytes));
}

/**
 * One thread's out-parameters (DWORD counts, completion keys, OVERLAPPED
 * pointers) at a fixed address, so a call passes Numbers and allocates nothing.
 */
export class OutParams {
  private readonly words: BigInt64Array;
  private readonly dwords: Uint32Array;
  /** Address of a DWORD. */
  readonly dword: number;
  /** Address of a 64-bit slot (ULONG_PTR completion key). */
  readonly key: number;
  /** Address of a 64-bit slot (LPOVERLAPPED). */
  readonly pointer: number;

  constructor() {
    const buffer = new SharedArrayBuffer(24);
    this.words = new BigInt64Array(buffer);
    this.dwords = new Uint32Array(buffer);
    this.dword = addressOf(this.dwords);
    this.key = this.dword + 8;
    this.pointer = this.dword + 16;
  }

  get dwordValue(): number {
    return this.dwords[0];
  }
  get keyValue(): number {
    return Number(this.words[1]);
  }
  get pointerValue(): number {
    return Number(this.words[2]);
  }
}

/**
 * OVERLAPPED structures, one per pipe instance, in a SharedArrayBuffer: they never
 * move, every thread of the server sees them at the same address, and the
 * instance index of a completed OVERLAPPED is (address - base) / 32.
 */
export class OverlappedTable {
  readonly buffer: SharedArrayBuffer;
  readonly base: number;
  readonly count: number;
  private readonly words: BigInt64Array;

  constructor(countOrBuffer: number | SharedArrayBuffer) {
    this.buffer = typeof countOrBuffer === 'number' ? new SharedArrayBuffer(countOrBuffer * OVERLAPPED_BYTES) : countOrBuffer;
    this.words = new BigInt64Array(this.buffer);
    this.base = addressOf(this.words);
    this.count = this.buffer.byteLength / OVERLAPPED_BYTES;
  }

  address(index: number): number {
    return this.base + index * OVERLAPPED_BYTES;
  }

  /** The instance an OVERLAPPED address belongs to, or -1 when it is none of ours. */
  indexOf(address: number): number {
    const offset = address - this.base;
    return offset >= 0 && offset < this.count * OVERLAPPED_BYTES && offset % OVERLAPPED_BYTES === 0 ? offset / OVERLAPPED_BYTES : -1;
  }

  /** Clears Internal/InternalHigh/Offset before the next operation, keeping hEvent. */
  reset(index: number): number {
    const at = index * 4;
    this.words[at] = 0n;
    this.words[at + 1] = 0n;
    this.words[at + 2] = 0n;
    return this.base + index * OVERLAPPED_BYTES;
  }

  setEvent(index: number, event: number): void {
    this.words[index * 4 + 3] = BigInt(event);
  }
}

/** An array of HANDLEs at a fixed address, for WaitForMultipleObjects(Ex). */
export class HandleArray {
  private readonly handles: BigInt64Array;
  readonly address: number;

  constructor(length: number) {
    this.handles = new BigInt64Array(new SharedArrayBuffer(Math.max(1, length) * 8));
    this.address = addressOf(this.handles);
  }

  set(index: number, handle: number): void {
    this.handles[index] = BigInt(handle);
  }
}

/**
 * The threads a process has now: walks one TH32CS_SNAPTHREAD snapshot (it holds
 * every thread of the system) counting entries whose th32OwnerProcessID is `processId`.
 */
export class ThreadCounter {
  private readonly entry: Uint32Array;
  private readonly address: number;

  constructor() {
    this.entry = new Uint32Array(new SharedArrayBuffer(THREADENTRY32_BYTES));
    this.address = addressOf(this.entry);
  }

  count(processId: number): number {
    const snapshot = checkHandle('CreateToolhelp32Snapshot', CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0), 'TH32CS_SNAPTHREAD');
    try {
      this.entry[0] = THREADENTRY32_BYTES; // dwSize: Thread32First fails without it
      let threads = 0;
      let ok = Thread32First(snapshot, this.address);
      let call = 'Thread32First';
      while (ok !== 0) {
        if (this.entry[3] === processId) threads++;
        ok = Thread32Next(snapshot, this.address);
        call = 'Thread32Next';
      }
      const code = GetLastError();
      if (code !== ERROR_NO_MORE_FILES) throw new Win32Error(call, code);
      return threads;
    } finally {
      CloseHandle(snapshot);
    }
  }
}

/** PROCESS_MEMORY_COUNTERS at a fixed address, filled by K32GetProcessMemoryInfo. */
export class ProcessMemoryCounters {
  private readonly words: BigInt64Array;
  private readonly address: number;

  constructor() {
    this.words = new BigInt64Array(new SharedArrayBuffer(PROCESS_MEMORY_COUNTERS_BYTES));
    this.address = addressOf(this.words);
  }

  /** Reads the counters of a process handle opened with PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_VM_READ. */
  read(process: number): void {
    this.words[0] = BigInt(PROCESS_MEMORY_COUNTERS_BYTES); // cb (PageFaultCount, the upper half, is an output)
    check('K32GetProcessMemoryInfo', K32GetProcessMemoryInfo(process, this.address, PROCESS_MEMORY_COUNTERS_BYTES));
  }

  get peakWorkingSetBytes(): number {
    return Number(this.words[1]);
  }
  get workingSetBytes(): number {
    return Number(this.words[2]);
  }
}
