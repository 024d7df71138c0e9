// A serving thread's entry point: loads the strategy's module, says it is running
// (the server reports "ready" only once every thread it started has), and runs the
// function named in workerData.
import { workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';

const { modulePath, exportName, data, running } = workerData as { modulePath: string; exportName: string; data: unknown; running: MessagePort };
// eslint-disable-next-line @typescript-eslint/no-var-requires
const entry = require(modulePath)[exportName] as (data: unknown) => void | Promise<void>;
running.postMessage('running');
running.close();
void entry(data);
