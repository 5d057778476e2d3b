// The memory of another process (a spawned language server), read from /proc.
import { readFileSync } from 'node:fs';

export interface Memory {
  rssBytes: number;
  peakRssBytes: number;
}

/** VmRSS and VmHWM (peak RSS) of a process. */
export function memoryOf(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') };
}
