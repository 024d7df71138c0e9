// One trial of one cell (a strategy at a client count), in fresh processes:
//
//   server ready ─ COUNT ─ clients connected (barrier) ─ go: warm-up, watched per
//   window until steady (or the cap) ─ measured phase: every client running, its
//   windows counted; server CPU, probe and client CPU read at its two edges ─
//   script: every client's fixed script from one common start ─ BYE ─ COUNT ─ stop
//
// Every process of the trial is killed however it ends; a failure becomes a
// failed trial with the reason and the server's last log lines.

import * as os from 'node:os';
import { sharedNowMs } from '../../clients/clock';
import { scriptLength } from '../../clients/workloads';
import { platform } from '../../strategies/platform';
import { DEFAULT_MAX_SESSIONS } from '../../strategies/session';
import { servesOneClientAtATime, type ProcessReader, type StrategyName } from '../../strategies/types';
import { ClientFleet } from './fleet';
import type { RunOptions } from '../options';
import { RunOutput, tail } from '../output';
import { Probe } from '../processes/probe';
import { describeExit, reapAll } from '../processes/processes';
import type { FailedTrial, MeasuredTrial, Responsiveness, Trial, Warmup, Warning } from '../schema/results';
import { sampleServer, ServerSampler } from '../processes/server-sampler';
import { startServer, StartedServer } from '../processes/server-process';
import { measuredDrift, steadyFrom, warmedUpFrom } from '../measure/steady-state';
import { countRecords } from '../processes/store-check';
import { clientDetails, scriptFigures, steadyFigures, TrialInputs, trialErrors } from '../measure/trial-figures';
import { littlesLawWarning } from '../measure/warnings';
import { recordsHeldPerClient, storeVerdict } from '../measure/integrity';
import { measuredPhaseEdges, readAt, sleepUntil } from './edges';

/** A server under test: one we start, or one somebody else started. */
export type Target = { kind: 'strategy'; name: StrategyName; mechanism: string } | { kind: 'external'; label: string; address: string; pid: number | null };

export interface TrialPlan {
  target: Target;
  clients: number;
  trial: number;
  runPosition: number;
}

/** Runs one trial; hyperfine-style, the run only sees this interface (tests give it a mock). */
export interface TrialRunner {
  run(plan: TrialPlan): Promise<Trial>;
}

class TrialFailure extends Error {}

// The harness announces a phase this long before it begins, so every client hears of
// it in time (IPC takes about a millisecond; a client that heard late is a warning).
const ANNOUNCE_MS = 50;
// How often the warm-up's windows are looked at.
const WATCH_MS = 50;

export function processTrialRunner(options: RunOptions, output: RunOutput): TrialRunner {
  return { run: (plan) => runTrial(plan, options, output) };
}

async function runTrial(plan: TrialPlan, options: RunOptions, output: RunOutput): Promise<Trial> {
  const { target, clients } = plan;
  const startedAt = new Date();
  const loadAverage = os.loadavg()[0];
  const name = target.kind === 'strategy' ? target.name : target.label;
  const cellId = `${name}-${clients}c-t${plan.trial}`;
  const address = target.kind === 'external' ? target.address : platform.uniqueAddress(`${name}-${clients}`);
  let server: StartedServer | null = null;
  let serverLogPath: string | null = null;
  let sampler: ServerSampler | null = null;
  let reader: ProcessReader | null = null;
  let fleet: ClientFleet | null = null;
  let probe: Probe | null = null;
  const head = { trial: plan.trial, runPosition: plan.runPosition, startedAt: startedAt.toISOString() };
  const marks: number[] = [];
  const mark = () => marks.push(Date.now());
  try {
    let pid = target.kind === 'external' ? target.pid : null;
    if (target.kind === 'strategy') {
      const log = output.openLog(`${cellId}-server.log`);
      serverLogPath = log.path;
      server = await startServer(target.name, { address, maxSessions: DEFAULT_MAX_SESSIONS, knobs: options.server }, log, options.timeouts.readyMs);
      pid = server.pid;
    }
    if (pid !== null) {
      sampler = sampleServer(pid);
      reader = platform.openProcess(pid);
    }
    const serverDied = server ? diedDuring(server) : new Promise<never>(() => {});
    serverDied.catch(() => undefined);
    const race = <T>(work: Promise<T>) => Promise.race([work, serverDied]);

    const countBefore = await race(countRecords(address, options.timeouts.connectMs));
    const probing = Probe.spawn(output.openLog(`${cellId}-probe.log`), options.timeouts.readyMs).catch((error: Error) => error);
    const m = options.measurement;
    const transactionsPerClient = scriptLength(options.workload);
    fleet = new ClientFleet(
      clients,
      (index) => ({ address, clientIndex: index, connectTimeoutMs: options.timeouts.connectMs, workload: options.workload, measureWindows: options.measurement.measureWindows }),
      (index) => output.openLog(`${cellId}-client-${index}.log`),
    );
    const clientFleet = fleet;
    await race(
      withTimeout(clientFleet.allConnected(), options.timeouts.connectMs + 5000, () => `only ${clientFleet.connectedCount} of ${clients} clients connected`),
    );
    const probed = await probing;
    if (probed instanceof Probe) probe = probed;

    mark();
    // Warm-up: every client runs; its windows are watched until the last few agree.
    const goMs = sharedNowMs() + ANNOUNCE_MS;
    fleet.broadcast({ type: 'go', atMs: goMs, windowMs: m.windowMs });
    const { warmup, everyClientGone } = await race(watchWarmup(fleet, goMs, options));
    const warnings: Warning[] = [];
    // Clients that all died (a server that cuts them off) leave nothing to measure, but their errors count.
    if (everyClientGone) warnings.push({ kind: 'not-measured', what: 'the measured phase and the script', reason: 'every client ended during the warm-up' });
    else if (warmup.steadyFromWindow === null) warnings.push({ kind: 'no-steady-state', trial: plan.trial, warmupMs: warmup.durationMs });
    mark();

    // The measured phase starts on a warm-up window boundary, so its windows line up with the warm-up's.
    let steadyPhase: TrialInputs['steady'] = null;
    let serverCost: TrialInputs['serverCost'] = null;
    let responsiveness: Responsiveness | null = null;
    // The probe reports while the script runs: its report and exit took ~0.2 s among twenty busy clients.
    let probeReport: Promise<Responsiveness | Error> | null = null;
    if (m.mode !== 'script' && !everyClientGone) {
      const { startMs, endMs } = measuredPhaseEdges(goMs, sharedNowMs(), ANNOUNCE_MS, m.windowMs, m.measureWindows);
      steadyPhase = { startMs, windows: m.measureWindows, windowMs: m.windowMs };
      fleet.broadcast({ type: 'measure', startMs, windows: m.measureWindows });
      probe?.record(startMs, endMs);
      const costs = reader ? await race(readAt(reader, startMs, endMs)) : null;
      if (costs === null) await race(sleepUntil(endMs));
      else serverCost = costs;
      if (probe) probeReport = probe.finish(options.timeouts.readyMs).catch((error: Error) => error);
      else warnings.push({ kind: 'not-measured', what: 'responsiveness', reason: (probed as Error).message });
    }
    mark();
    let script: TrialInputs['script'] = null;
    if (m.mode !== 'steady') {
      const startMs = sharedNowMs() + ANNOUNCE_MS;
      script = { startMs, transactionsPerClient };
      if (!everyClientGone) fleet.broadcast({ type: 'script', startMs });
    } else {
      fleet.broadcast({ type: 'stop' });
    }
    await race(withTimeout(fleet.allDone(), options.timeouts.cellMs, `clients still running after ${options.timeouts.cellMs} ms`));
    mark();
    if (probeReport) {
      const measured = await probeReport;
      if (measured instanceof Error) warnings.push({ kind: 'not-measured', what: 'responsiveness', reason: measured.message });
      else if (measured.samples === 0) warnings.push({ kind: 'not-measured', what: 'responsiveness', reason: 'the probe never woke inside the measured phase' });
      else responsiveness = measured;
    }
    await race(withTimeout(fleet.collectReports(), options.timeouts.readyMs, 'client reports'));

    const countAfter = await race(countRecords(address, options.timeouts.connectMs));
    const serverLoad = sampler?.stop() ?? null;
    if (server) await server.stop(options.timeouts.readyMs);

    const inputs: TrialInputs = { clients, reports: fleet.reports, fatalities: fleet.fatalities, steady: steadyPhase, script, serverCost, responsiveness };
    const errors = trialErrors(inputs);
    // A client that died mid-script may still hold the records it added; nobody else may leave any.
    const store = storeVerdict(countBefore, countAfter, errors.failedClients, recordsHeldPerClient(options.workload));
    if (store.kind === 'broken') throw new TrialFailure(store.reason);
    if (store.kind === 'records-left') warnings.push({ kind: 'records-left', records: store.records, failedClients: store.failedClients });
    const late = [...fleet.reports.values()].filter((r) => r.measureLateMs > 0);
    if (steadyPhase && late.length > 0) warnings.push({ kind: 'late-start', trial: plan.trial, clients: late.length, lateMs: Math.max(...late.map((r) => r.measureLateMs)) });
    const steady = steadyFigures(inputs);
    // The steady state the warm-up found, checked again against the windows measured after it.
    if (steady && warmup.steadyFromWindow !== null) {
      const drifted = measuredDrift(warmup.throughputTps.slice(warmup.steadyFromWindow), steady.windows.map((w) => w.throughputTps), m.steadyTolerance);
      if (drifted) warnings.push({ kind: 'drift', trial: plan.trial, ...drifted });
    }
    // Little's law holds when every waiting client is among those served; starved clients' requests never complete (the starvation is warned about in the cell).
    const everyClientCounted = steady !== null && (steady.clientsServed === clients || (target.kind === 'strategy' && servesOneClientAtATime(target.name)));
    if (steady && everyClientCounted && options.workload.ratePerClientTps === null) {
      const little = littlesLawWarning(steady.clientsServed, steady.throughputTps, steady.latency.meanNs);
      if (little) warnings.push(little);
    }
    const measured: MeasuredTrial = {
      ...head,
      durationMs: Date.now() - startedAt.getTime(),
      phasesMs: {
        start: marks[0] - startedAt.getTime(),
        warmup: marks[1] - marks[0],
        measure: marks[2] - marks[1],
        script: marks[3] - marks[2],
        finish: Date.now() - marks[3],
      },
      warmup,
      steady,
      script: scriptFigures(inputs),
      clientDetails: clientDetails(inputs),
      errors,
      store: { countBefore, countAfter },
      serverLoad,
      loadAverage,
      warnings,
    };
    return { outcome: 'measured', ...measured };
  } catch (error) {
    const failed: FailedTrial = {
      ...head,
      durationMs: Date.now() - startedAt.getTime(),
      reason: (error as Error).message,
      serverLog: serverLogPath ? tail(serverLogPath) : [],
      clientDetails: fleet ? clientDetails({ clients, reports: fleet.reports, fatalities: fleet.fatalities, steady: null, script: null, serverCost: null, responsiveness: null }) : [],
    };
    return { outcome: 'failed', ...failed };
  } finally {
    sampler?.stop();
    reader?.close();
    probe?.kill();
    reapAll(); // anything still running after a failure: stuck clients, a probe, a server that would not stop
    if (target.kind === 'strategy') platform.releaseAddress(address);
  }
}

/** Watches the warm-up windows until the last `steadyWindows` agree (after the minimum), the cap passes, or every client is gone. */
function watchWarmup(fleet: ClientFleet, goMs: number, options: RunOptions): Promise<{ warmup: Warmup; everyClientGone: boolean }> {
  const m = options.measurement;
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      const elapsedMs = sharedNowMs() - goMs;
      const series = fleet.windowThroughputs(m.windowMs);
      // Not before the minimum time, nor before every client that transacts has run its loop long enough for the JIT.
      const warmedFrom = warmedUpFrom(fleet.liveWindowCounts(), m.warmupMinTransactions);
      const skipWindows = warmedFrom === null ? series.length : Math.max(Math.ceil(m.warmupMinMs / m.windowMs), warmedFrom);
      const steadyFromWindow = steadyFrom(series, { windows: m.steadyWindows, tolerance: m.steadyTolerance }, skipWindows);
      const everyClientGone = fleet.goneCount >= fleet.count;
      if (everyClientGone || steadyFromWindow !== null || elapsedMs >= m.warmupMaxMs) {
        clearInterval(timer);
        const warmup = { windowMs: m.windowMs, throughputTps: series, steadyFromWindow, durationMs: elapsedMs };
        resolve({ warmup, everyClientGone });
      }
    }, WATCH_MS);
  });
}

function diedDuring(server: StartedServer): Promise<never> {
  return server.child.exited.then((exit) => {
    throw new TrialFailure(`server ${describeExit(exit)} during the trial: ${tail(server.child.logPath, 3).join(' | ')}`);
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string | (() => string)): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TrialFailure(`${typeof what === 'function' ? what() : what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
