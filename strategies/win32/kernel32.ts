// kernel32 (and the few advapi32 and ntdll calls pipebench needs) through koffi: the bindings and constants of the Win32 API, nothing
// else (errors.ts translates failures, memory.ts holds memory the OS writes later,
// process-stats.ts reads other processes). HANDLEs are declared intptr_t so they
// are plain Numbers (INVALID_HANDLE_VALUE is -1) that pass to worker threads as
// they are. Pointers the OS keeps using after a call returns (OVERLAPPED, I/O
// buffers) are passed as Number addresses of memory that never moves. Constants
// are named as in the Windows headers. Expected codes (ERROR_IO_PENDING,
// ERROR_PIPE_CONNECTED, ERROR_BROKEN_PIPE...) are outcomes that callers test on
// their hot paths, not exceptions.

import koffi from '../koffi';

const kernel32 = koffi.load('kernel32.dll');
const advapi32 = koffi.load('advapi32.dll');
const ntdll = koffi.load('ntdll.dll');

export const INVALID_HANDLE_VALUE = -1;
export const INFINITE = 0xffffffff;

export const PIPE_ACCESS_DUPLEX = 0x3;
export const FILE_FLAG_OVERLAPPED = 0x40000000;
export const FILE_FLAG_FIRST_PIPE_INSTANCE = 0x00080000;
export const PIPE_TYPE_BYTE = 0x0;
export const PIPE_READMODE_BYTE = 0x0;
export const PIPE_WAIT = 0x0;
export const PIPE_REJECT_REMOTE_CLIENTS = 0x8;
export const PIPE_UNLIMITED_INSTANCES = 255;

export const GENERIC_READ = 0x80000000;
export const GENERIC_WRITE = 0x40000000;
export const OPEN_EXISTING = 3;
/** CreateFileW on a pipe: the server may identify the client, not impersonate it. */
export const SECURITY_SQOS_PRESENT = 0x00100000;
export const SECURITY_IDENTIFICATION = 0x00010000;

/** SECURITY_ATTRIBUTES on x64: nLength@0 (DWORD), lpSecurityDescriptor@8, bInheritHandle@16. */
export const SECURITY_ATTRIBUTES_BYTES = 24;
export const SDDL_REVISION_1 = 1;
export const TOKEN_QUERY = 0x8;
/** TOKEN_INFORMATION_CLASS TokenUser: a TOKEN_USER, whose first field is the user's PSID. */
export const TokenUser = 1;

export const PROCESS_VM_READ = 0x10;
export const PROCESS_QUERY_INFORMATION = 0x400;
export const THREAD_QUERY_LIMITED_INFORMATION = 0x800;
export const STATUS_SUCCESS = 0;
export const STATUS_NO_MORE_ENTRIES = 0x8000001a;
export const PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;

export const WAIT_OBJECT_0 = 0;
export const WAIT_IO_COMPLETION = 0xc0;
export const WAIT_FAILED = 0xffffffff;
export const MAXIMUM_WAIT_OBJECTS = 64;

export const ERROR_SUCCESS = 0;
export const ERROR_FILE_NOT_FOUND = 2;
export const ERROR_ACCESS_DENIED = 5;
export const ERROR_NO_MORE_FILES = 18;
export const ERROR_BROKEN_PIPE = 109;
export const ERROR_PIPE_BUSY = 231;
export const ERROR_NO_DATA = 232;
export const ERROR_PIPE_NOT_CONNECTED = 233;
export const ERROR_PIPE_CONNECTED = 535;
export const ERROR_OPERATION_ABORTED = 995;
export const ERROR_IO_PENDING = 997;

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
/**
 * The next thread of ONE process after `thread` (0: the first), opened with `access`
 * into *NewThreadHandle; STATUS_NO_MORE_ENTRIES after the last. ntdll's, exported
 * since Windows Vista and implemented by Wine; it needs PROCESS_QUERY_INFORMATION.
 */
export const NtGetNextThread = ntdll.func(
  'uint32_t NtGetNextThread(intptr_t ProcessHandle, intptr_t ThreadHandle, uint32_t DesiredAccess, uint32_t HandleAttributes, uint32_t Flags, void *NewThreadHandle)',
) as (process: number, thread: number, access: number, attributes: number, flags: number, next: Address) => number;
export const RtlNtStatusToDosError = ntdll.func('uint32_t RtlNtStatusToDosError(uint32_t Status)') as (status: number) => number;
/** Cycles charged to every thread the process ever had (kernel and user); CycleTime: the address of a ULONG64. */
export const QueryProcessCycleTime = kernel32.func('int QueryProcessCycleTime(intptr_t ProcessHandle, void *CycleTime)') as (process: number, cycles: Address) => number;
export const QueryThreadCycleTime = kernel32.func('int QueryThreadCycleTime(intptr_t ThreadHandle, void *CycleTime)') as (thread: number, cycles: Address) => number;
export const GetCurrentThread = kernel32.func('intptr_t GetCurrentThread()') as () => number;
export const QueryPerformanceCounter = kernel32.func('int QueryPerformanceCounter(void *lpPerformanceCount)') as (count: Address) => number;
export const QueryPerformanceFrequency = kernel32.func('int QueryPerformanceFrequency(void *lpFrequency)') as (frequency: Address) => number;
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

/** IO_COUNTERS: six ULONGLONGs; WriteTransferCount at byte 32. */
export const IO_COUNTERS_BYTES = 48;
export const GetProcessIoCounters = kernel32.func('int GetProcessIoCounters(intptr_t hProcess, void *lpIoCounters)') as (process: number, counters: Address) => number;
export const GetProcessTimes = kernel32.func('int GetProcessTimes(intptr_t hProcess, void *lpCreationTime, void *lpExitTime, void *lpKernelTime, void *lpUserTime)') as (
  process: number,
  creation: Address,
  exit: Address,
  kernel: Address,
  user: Address,
) => number;
