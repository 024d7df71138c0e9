// A serving thread's entry point: runs the strategy function named in workerData.
import { workerData } from 'node:worker_threads';

const { modulePath, exportName, data } = workerData as { modulePath: string; exportName: string; data: unknown };
// eslint-disable-next-line @typescript-eslint/no-var-requires
const entry = require(modulePath)[exportName] as (data: unknown) => void | Promise<void>;
void entry(data);
