/**
 * CPU profiles of this process's main thread (the application's event loop; autocannon's worker thread is
 * not in them) over one measured phase, through the inspector's sampling profiler, so a figure can be
 * taken apart where it was measured instead of in a profile of the whole run (`node --cpu-prof` mixes the
 * warm-up, the other phases and the pg baseline).
 *
 * Each profile is written as `<dir>/<name>.cpuprofile` (Chrome DevTools and speedscope read it) and
 * summarised: self time per operation by area (a package, a room of src/, Node's internals, the garbage
 * collector, idle) and by function. The profiler's own sampling cost is in the figures.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import * as path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface PhaseProfiler {
  /** Stops sampling, writes the profile and returns its summary per operation. */
  stop(operations: number): Promise<string[]>;
}

/** Starts sampling the main thread every `intervalUs`; nothing (null) when no directory is given. */
export async function startProfile(
  dir: string | undefined,
  name: string,
  intervalUs = 200,
): Promise<PhaseProfiler | null> {
  if (!dir) return null;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
  await session.post('Profiler.start');
  return {
    async stop(operations: number): Promise<string[]> {
      const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
      session.disconnect();
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${name}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      return [`CPU profile of the main thread → ${file}`, ...summarise(profile, operations)];
    },
  };
}

/** Where a frame's code lives: a package, a room of src/, a part of Node, or a pseudo-frame. */
export function areaOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const src = /\/(src|bench|web-common)\/(?:(modules|infra|common)\/)?([^/]+)/.exec(url);
  if (src) return src[2] ? `${src[1]}/${src[2]}/${src[3].replace(/\.[jt]s$/, '')}` : `${src[1]}/${src[3]}`;
  const internal = /^node:(?:internal\/)?([^/]+)/.exec(url);
  if (internal) return `node:${internal[1]}`;
  return url;
}

/** Self time by area and by function, in µs per operation, the largest first. */
export function summarise(profile: CpuProfile, operations: number, top = 25): string[] {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const us = self.get(node.id) ?? 0;
    if (us === 0) continue;
    total += us;
    const area = areaOf(node.callFrame);
    byArea.set(area, (byArea.get(area) ?? 0) + us);
    const f = node.callFrame;
    const where = f.url ? `${area}:${f.lineNumber + 1}` : area;
    const key = `${f.functionName || '(anonymous)'} ${where}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  const per = (us: number) => `${(us / Math.max(1, operations)).toFixed(1).padStart(7)} µs`;
  const idle = byArea.get('(idle)') ?? 0;
  const lines = [
    `  ${operations} operations over ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s; ` +
      `busy ${per(total - idle).trim()} per operation (idle ${((100 * idle) / Math.max(1, total)).toFixed(0)} %)`,
    `  self time by area:`,
  ];
  for (const [area, us] of [...byArea].sort((a, b) => b[1] - a[1]).slice(0, top))
    lines.push(`    ${per(us)}  ${area}`);
  lines.push(`  self time by function:`);
  for (const [fn, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top))
    lines.push(`    ${per(us)}  ${fn}`);
  return lines;
}
