// The server's own log lines, filtered by `reqguard.log.level` before they reach the client's
// output channel. Pure: a level check in front of any sink (connection.console in the server).
import type { LogLevel } from './settings';

/** Where lines that pass go: connection.console has exactly these methods. */
export interface LogSink {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

/** Most severe first: a level lets through itself and everything above it. */
const RANK: Readonly<Record<LogLevel, number>> = { error: 0, warning: 1, info: 2, debug: 3 };

export class Logger implements LogSink {
  constructor(
    private readonly sink: LogSink,
    /** Changed in place when the setting changes; the next line honours it. */
    public level: LogLevel = 'info',
  ) {}

  /** Whether a line of this level is written (to skip building costly debug lines). */
  enabled(level: LogLevel): boolean {
    return RANK[level] <= RANK[this.level];
  }

  error(message: string): void {
    if (this.enabled('error')) this.sink.error(message);
  }

  warn(message: string): void {
    if (this.enabled('warning')) this.sink.warn(message);
  }

  info(message: string): void {
    if (this.enabled('info')) this.sink.info(message);
  }

  debug(message: string): void {
    if (this.enabled('debug')) this.sink.debug(message);
  }
}
