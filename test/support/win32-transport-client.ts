// Runs under the WINDOWS node for the Win32 suites: the client's own transport
// (strategies/win32/pipe-transport.ts), the code `pipebench client` runs, in
// situations the regular client only meets by accident. Prints one JSON line.
//
//   node.exe win32-transport-client.js ADDRESS count    prints "connecting", connects (a busy server counts as
//                                                       connected), runs COUNT; prints {"status", "count"}
//   node.exe win32-transport-client.js NAME closed      serves NAME itself with a raw instance, connects to it,
//                                                       closes the server's end, then runs COUNT; prints {"lost"}

import { connect } from '../../strategies/win32/pipe-transport';
import * as k32 from '../../strategies/win32/kernel32';
import { checkHandle, Win32Error } from '../../strategies/win32/errors';
import { ConnectionLost } from '../../clients/transport';
import { Command } from '../../strategies/protocol';

const [address, scenario] = process.argv.slice(2);

function count(): Record<string, unknown> {
  process.stdout.write('connecting\n');
  const transport = connect(address, { timeoutMs: 30000 });
  transport.request.setInt32(0, Command.COUNT, true);
  const status = transport.roundTrip(4, 4);
  const records = transport.reply.getInt32(4, true);
  transport.close();
  return { status, count: records };
}

/** A write on a pipe whose server end is closed: Windows fails it with ERROR_NO_DATA, not ERROR_BROKEN_PIPE. */
function closed(): Record<string, unknown> {
  const server = checkHandle('CreateNamedPipeW', k32.CreateNamedPipeW(address, k32.PIPE_ACCESS_DUPLEX, k32.PIPE_TYPE_BYTE, 1, 4096, 4096, 0, null), address);
  const transport = connect(address, { timeoutMs: 30000 }); // the instance listens already: the open succeeds at once
  if (k32.ConnectNamedPipe(server, null) === 0 && k32.GetLastError() !== k32.ERROR_PIPE_CONNECTED) throw new Win32Error('ConnectNamedPipe', k32.GetLastError());
  k32.CloseHandle(server);
  transport.request.setInt32(0, Command.COUNT, true);
  try {
    transport.roundTrip(4, 4);
    return { lost: null };
  } catch (error) {
    if (!(error instanceof ConnectionLost)) throw error;
    return { lost: error.message };
  } finally {
    transport.close();
  }
}

if (scenario === 'count') process.stdout.write(`${JSON.stringify(count())}\n`);
else if (scenario === 'closed') process.stdout.write(`${JSON.stringify(closed())}\n`);
else throw new Error(`unknown scenario ${scenario}`);
