// One trial of one cell (a strategy at a client count), in fresh processes:
//
//   server ready ─ COUNT ─ the pool's clients connected (barrier) ─ go: warm-up, watched per
//   window until steady (or the cap) ─ measured phase: every client running, its
//   windows counted; server CPU, probe and client CPU read at its two edges ─
//   script: every client's fixed script from one common start ─ BYE ─ COUNT ─ stop
//
// The server and probe of the trial are killed however it ends, and so are its
// clients when it fails (fleet.ts keeps them otherwise); a failure becomes a
// failed trial with the reason and the server's last log lines.

import * as os from 'node:os';
import { sharedNowMs } from '../../clients/clock';
import { scriptLength } from '../../clients/workloads';
import { platform } from '../../strategies/platform';
import { strategy as strategyDescriptor } from '../../strategies/catalog';
import { DEFAULT_MAX_SESSIONS } from '../../strategies/session';
import { servesOneClientAtATime, type ProcessReader, type StrategyName } from '../../strategies/types';
import { ClientFleet, ClientPool } from './fleet';
import type { RunOptions } from '../options';
import { RunOutput, tail } from '../output';
import { Probe } from '../processes/probe';
import { HostPaceGauge } from '../processes/host-pace';
import { describeExit, reapAll } from '../processes/processes';
import type { FailedTrial, MeasuredTrial, NotRemeasured, Responsiveness, Trial, Warmup, Warning } from '../schema/results';
import { sampleServer, ServerSampler } from '../processes/server-sampler';
import { startServer, StartedServer } from '../processes/server-process';
import { classifyMeasuredPhase, MAX_REMEASURES, measuredDrift, steadyFrom, warmedUpFrom } from '../measure/steady-state';
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
  /** Readies what the runner keeps between trials (warms the client processes up), once, before the first trial; the problems it met. */
  prepare(): Promise<Warning[]>;
  run(plan: TrialPlan): Promise<Trial>;
  /** Ends what the runner keeps between trials (the client processes). */
  close(): void;
}

class TrialFailure extends Error {}

// The harness announces a phase at least this long before it begins, so every client hears of it in time
// (a client that heard late is a warning). IPC takes about a millisecond, but a busy client's main thread waits
// its turn among every runnable thread (its load thread, the other clients', the server's): with 20 clients of
// thread-per-client on 2 CPUs, 16 heard up to 27 ms after a phase announced 50 ms ahead, plus the wait for the
// next window's edge (2026-12-05; once in about 20 default runs). So the lead grows with the clients.
const ANNOUNCE_MS = 50;
const ANNOUNCE_PER_CLIENT_MS = 5;
// The warm-up's windows are looked at as each arrives (every client sends a window as soon as it is over),
// and at least this often, so the cap is kept when none arrives.
const WATCH_MS = 50;

export function processTrialRunner(options: RunOptions, output: RunOutput, progress: (line: string) => void): TrialRunner {
  const pool = new ClientPool(
    (index) => ({ clientIndex: index, connectTimeoutMs: options.timeouts.connectMs, workload: options.workload, measureWindows: options.measurement.measureWindows }),
    (index, started) => output.openLog(`client-${index}-process-${started + 1}.log`),
  );
  let gauge: HostPaceGauge | null = null;
  // The reading after the last trial, which is also the next one's before: one reading between two trials.
  let lastPaceUs: number | null = null;
  return {
    async prepare() {
      if (options.measurement.clientWarmupMs === 0) return [];
      const { line, warning } = await warmPool(pool, options, output);
      progress(line);
      return warning ? [warning] : [];
    },
    async run(plan) {
      gauge ??= await HostPaceGauge.start();
      // Before the trial's processes start and after they have ended: the host's pace, not the trial's load.
      const beforeUs = lastPaceUs ?? gauge.measureUs();
      const trial = await runTrial(plan, options, output, pool, beforeUs);
      lastPaceUs = gauge.measureUs();
      return trial.outcome === 'measured' ? { ...trial, hostWakeupAfterUs: lastPaceUs } : trial;
    },
    close: () => {
      pool.close();
      gauge?.close();
    },
  };
}

/**
 * Runs every client of the pool (as many as the largest cell needs) for
 * --client-warmup-ms against a server that serves them all at once, unrecorded;
 * returns the line that says how it went, and a warning when clients failed.
 */
async function warmPool(pool: ClientPool, options: RunOptions, output: RunOutput): Promise<{ line: string; warning: Warning | null }> {
  const target = poolWarmupTarget(options);
  const clients = Math.max(...options.clients);
  const ms = options.measurement.clientWarmupMs;
  // A trial that ends after exactly `ms` of warm-up (min = max; no transaction minimum), measures, and stops. Its
  // measured phase has the run's windows: a client is started for that many, and ends on any other.
  const measurement = { ...options.measurement, mode: 'steady' as const, warmupMinMs: ms, warmupMaxMs: ms, warmupMinTransactions: 0 };
  const plan = { target, clients, trial: 0, runPosition: 0 };
  const warmup = await runTrial(plan, { ...options, measurement }, output, pool, null);
  const server = target.kind === 'strategy' ? target.name : target.label;
  if (warmup.outcome === 'failed') {
    return {
      line: `client warm-up against ${server} failed (${warmup.reason}); the first trials start with cold clients`,
      warning: { kind: 'client-warmup-failed', server, clients, failedClients: clients, reason: warmup.reason },
    };
  }
  const done = warmup.clientDetails.map((c) => c.transactions);
  const line = `client warm-up: ${clients} client process${clients === 1 ? '' : 'es'} against ${server} for ${(warmup.durationMs / 1000).toFixed(1)} s, ${Math.min(...done)}-${Math.max(...done)} transactions each (not recorded; the clients are kept from trial to trial)`;
  // A client that failed is replaced by a fresh one, which starts its first trial cold: say so, and why.
  const failed = warmup.clientDetails.filter((c) => c.fatal !== null);
  if (failed.length === 0) return { line, warning: null };
  return {
    line: `${line}; ${failed.length} of them failed (${failed[0].fatal}) and start afresh, cold`,
    warning: { kind: 'client-warmup-failed', server, clients, failedClients: failed.length, reason: failed[0].fatal! },
  };
}

/**
 * The warm-up's server: node-net when the run has it (it starts in a third of
 * thread-per-client's time at 20 clients), else the first strategy that serves
 * every client at once (sequential would warm only one).
 */
function poolWarmupTarget(options: RunOptions): Target {
  const concurrent = options.strategies.includes('node-net') ? 'node-net' : options.strategies.find((name) => !servesOneClientAtATime(name));
  const name = concurrent ?? (options.external ? null : options.strategies[0]);
  if (name) return { kind: 'strategy', name, mechanism: strategyDescriptor(name).mechanism };
  return { kind: 'external', ...options.external! };
}

async function runTrial(plan: TrialPlan, options: RunOptions, output: RunOutput, pool: ClientPool, hostWakeupUs: number | null): Promise<Trial> {
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
  let succeeded = false;
  const head = { trial: plan.trial, runPosition: plan.runPosition, startedAt: startedAt.toISOString() };
  const marks: number[] = [];
  const mark = () => marks.push(Date.now());
  try {
    // The probe starts beside the server: one after the other took ~0.15 s more of every trial.
    const probing = Probe.spawn(output.openLog(`${cellId}-probe.log`), options.timeouts.readyMs).catch((error: Error) => error);
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
    const m = options.measurement;
    const transactionsPerClient = scriptLength(options.workload);
    const announceMs = ANNOUNCE_MS + ANNOUNCE_PER_CLIENT_MS * clients;
    fleet = new ClientFleet(clients, pool, address);
    const clientFleet = fleet;
    await race(
      withTimeout(clientFleet.allConnected(), options.timeouts.connectMs + 5000, () => `only ${clientFleet.connectedCount} of ${clients} clients connected`),
    );
    const probed = await probing;
    const probe = probed instanceof Probe ? probed : null;

    mark();
    // Warm-up: every client runs; its windows are watched until the last few agree.
    const goMs = sharedNowMs() + ANNOUNCE_MS;
    fleet.broadcast({ type: 'go', atMs: goMs, windowMs: m.windowMs });
    let { warmup, everyClientGone } = await race(watchWarmup(fleet, goMs, options, target, 0));
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
    // Why the last drifted phase was not measured again, for the warning if the reports show the drift too.
    let recheck: RecheckSkip | 'limit' | null = null;
    if (m.mode !== 'script' && !everyClientGone) {
      let firstStartMs: number | null = null;
      for (let remeasured = 0; ; remeasured++) {
        const { startMs, endMs } = measuredPhaseEdges(goMs, sharedNowMs(), announceMs, m.windowMs, m.measureWindows);
        firstStartMs ??= startMs;
        steadyPhase = { startMs, windows: m.measureWindows, windowMs: m.windowMs };
        fleet.broadcast({ type: 'measure', startMs, windows: m.measureWindows });
        // Responsiveness over every measured phase of the trial (the probe keeps what it recorded).
        probe?.record(firstStartMs, endMs);
        const costs = reader ? await race(readAt(reader, startMs, endMs)) : null;
        if (costs === null) await race(sleepUntil(endMs));
        else serverCost = costs;
        warmup = { ...warmup, remeasured };
        if (warmup.steadyFromWindow === null) break;
        if (remeasured === MAX_REMEASURES) {
          recheck = 'limit';
          break;
        }
        const again = await race(warmAgainIfDrifted(fleet, goMs, startMs, warmup, options, target));
        if (typeof again === 'string') {
          recheck = again;
          break;
        }
        warmup = again;
        if (warmup.steadyFromWindow === null) warnings.push({ kind: 'no-steady-state', trial: plan.trial, warmupMs: warmup.durationMs });
      }
      if (probe) probeReport = probe.finish(options.timeouts.readyMs).catch((error: Error) => error);
      else warnings.push({ kind: 'not-measured', what: 'responsiveness', reason: (probed as Error).message });
    }
    mark();
    let script: TrialInputs['script'] = null;
    if (m.mode !== 'steady') {
      const startMs = sharedNowMs() + announceMs;
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
    // The steady state the warm-up found, checked again against the windows measured after it; a phase that
    // only wandered around it is recorded on the trial and explained among the cell's observations, not warned about.
    if (steady && warmup.steadyFromWindow !== null) {
      const phase = classifyMeasuredPhase(warmup.throughputTps.slice(warmup.steadyFromWindow), steady.windows.map((w) => w.throughputTps), m.steadyTolerance);
      if (phase.kind === 'wandered') warmup = { ...warmup, wandered: phase.drift };
      else if (phase.kind === 'drifted') warnings.push({ kind: 'drift', trial: plan.trial, ...phase.drift, notRemeasured: notRemeasuredBecause(recheck) });
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
      hostWakeupUs,
      hostWakeupAfterUs: null,
      warnings,
    };
    succeeded = true;
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
    // Anything of the trial still running (a server that would not start or stop, a probe, clients stuck in a
    // failed trial) is killed; only the clients the pool keeps live on.
    fleet?.end(succeeded);
    reapAll(pool.processes());
    if (target.kind === 'strategy') platform.releaseAddress(address);
  }
}

// The clients report progress once a window; a window not reported by then is not waited for.
const PROGRESS_WAIT_MS = 1000;

/** Why a measured phase was not measured again: it held, the progress did not arrive, the warm-up cap had passed, or every client is gone. */
type RecheckSkip = 'held' | 'progress-late' | 'cap' | 'clients-gone';

/** The reason a drift warning gives; a phase whose clients' progress held drifted only in their reports. */
function notRemeasuredBecause(recheck: RecheckSkip | 'limit' | null): NotRemeasured | null {
  if (recheck === 'held') return 'no-drift-in-progress';
  return recheck === 'clients-gone' ? null : recheck;
}

/**
 * After a measured phase from `startMs`: when its windows (read from the clients' progress,
 * the same transactions by the time they ended) drifted from the steady windows before it,
 * watches the warm-up again from its first window and resolves to the new warm-up; else why not.
 */
async function warmAgainIfDrifted(fleet: ClientFleet, goMs: number, startMs: number, warmup: Warmup, options: RunOptions, target: Target): Promise<Warmup | RecheckSkip> {
  const m = options.measurement;
  const first = Math.round((startMs - goMs) / m.windowMs);
  const reported = await Promise.race([fleet.windowsReported(first + m.measureWindows).then(() => true), sleepUntil(sharedNowMs() + PROGRESS_WAIT_MS).then(() => false)]);
  if (!reported) return 'progress-late';
  const series = fleet.windowThroughputs(m.windowMs);
  // The same test on the same steady windows as the check of the clients' reports after the trial.
  const drifted = measuredDrift(warmup.throughputTps.slice(warmup.steadyFromWindow!), series.slice(first, first + m.measureWindows), m.steadyTolerance);
  if (!drifted) return 'held';
  if (sharedNowMs() - goMs >= m.warmupMaxMs) return 'cap';
  const watched = await watchWarmup(fleet, goMs, options, target, first);
  return watched.everyClientGone ? 'clients-gone' : { ...watched.warmup, remeasured: warmup.remeasured };
}

/**
 * Watches the warm-up windows until the last `steadyWindows` agree (after the minimum, and
 * from window `fromWindow` on), the cap passes, or every client is gone.
 */
function watchWarmup(fleet: ClientFleet, goMs: number, options: RunOptions, target: Target, fromWindow: number): Promise<{ warmup: Warmup; everyClientGone: boolean }> {
  const m = options.measurement;
  const everyClientServed = target.kind === 'strategy' && !servesOneClientAtATime(target.name);
  return new Promise((resolve) => {
    let watching = true;
    const look = () => {
      if (!watching) return;
      const elapsedMs = sharedNowMs() - goMs;
      const series = fleet.windowThroughputs(m.windowMs);
      // Not before the minimum time, nor before every client has run its loop long enough for the JIT (its own and its
      // server thread's); a server that keeps all but one client waiting is not waited for (it never serves them now).
      const warmedFrom = warmedUpFrom(fleet.liveWindowCounts(), m.warmupMinTransactions, everyClientServed);
      const skipWindows = warmedFrom === null ? series.length : Math.max(Math.ceil(m.warmupMinMs / m.windowMs), warmedFrom, fromWindow);
      const steadyFromWindow = steadyFrom(series, { windows: m.steadyWindows, tolerance: m.steadyTolerance }, skipWindows);
      const everyClientGone = fleet.goneCount >= fleet.count;
      if (everyClientGone || steadyFromWindow !== null || elapsedMs >= m.warmupMaxMs) {
        watching = false;
        clearInterval(timer);
        const warmup = { windowMs: m.windowMs, throughputTps: series, steadyFromWindow, durationMs: elapsedMs, remeasured: 0, wandered: null };
        resolve({ warmup, everyClientGone });
      }
    };
    const timer = setInterval(look, WATCH_MS);
    fleet.onChange(look);
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
