import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * CPU time and memory of another process, read from Linux /proc (no agent in the measured
 * process): CPU from utime + stime in /proc/<pid>/stat, memory from VmRSS / VmHWM in
 * /proc/<pid>/status.
 */
let ticks: number | undefined;

/** Clock ticks per second of /proc/<pid>/stat times (`getconf CLK_TCK`, 100 on Linux). */
export function clockTicks(): number {
  if (ticks === undefined) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

/** utime + stime in clock ticks, from the text of /proc/<pid>/stat. */
export function parseCpuTicks(stat: string): number {
  // the command name (field 2) is in parentheses and may contain spaces: split after the last ')'
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .trim()
    .split(/\s+/);
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15
  return Number(fields[11]) + Number(fields[12]);
}

/** A `Vm...:   1234 kB` value of /proc/<pid>/status, in bytes. */
export function parseStatusKb(status: string, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!m) throw new Error(`no ${field} in /proc status`);
  return Number(m[1]) * 1024;
}

export interface ProcSample {
  /** CPU seconds (user + system) used by the process since it started. */
  cpuSeconds: number;
  rssBytes: number;
  peakRssBytes: number;
  at: number;
}

export function sampleProcess(pid: number): ProcSample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return {
    cpuSeconds: parseCpuTicks(readFileSync(`/proc/${pid}/stat`, 'utf8')) / clockTicks(),
    rssBytes: parseStatusKb(status, 'VmRSS'),
    peakRssBytes: parseStatusKb(status, 'VmHWM'),
    at: performance.now(),
  };
}

export interface WindowUsage {
  seconds: number;
  /** CPU time / wall time, in percent of one core. */
  cpuPercent: number;
  cpuSeconds: number;
  meanRssMiB: number;
  maxRssMiB: number;
}

/**
 * Samples a process every `intervalMs` until `stop()`; returns its CPU use over the window and
 * its resident set (mean and max of the samples).
 */
export function watchProcess(pid: number, intervalMs = 200): { stop(): WindowUsage } {
  const first = sampleProcess(pid);
  const rss: number[] = [first.rssBytes];
  const timer = setInterval(() => {
    try {
      rss.push(sampleProcess(pid).rssBytes);
    } catch {
      // the process ended; stop() reports what was seen
    }
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      const last = sampleProcess(pid);
      rss.push(last.rssBytes);
      const seconds = (last.at - first.at) / 1000;
      const cpuSeconds = last.cpuSeconds - first.cpuSeconds;
      const mib = 2 ** 20;
      return {
        seconds,
        cpuSeconds,
        cpuPercent: seconds > 0 ? (100 * cpuSeconds) / seconds : 0,
        meanRssMiB: rss.reduce((a, b) => a + b, 0) / rss.length / mib,
        maxRssMiB: Math.max(...rss) / mib,
      };
    },
  };
}
