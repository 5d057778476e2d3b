// The server's log filter: each level lets through itself and the levels above it, and a new
// level applies to the next line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Logger, type LogSink } from '../../server/src/log';
import { LOG_LEVELS } from '../../server/src/settings';

function recording(): { sink: LogSink; lines: string[] } {
  const lines: string[] = [];
  const sink: LogSink = {
    error: (message) => void lines.push(`error ${message}`),
    warn: (message) => void lines.push(`warn ${message}`),
    info: (message) => void lines.push(`info ${message}`),
    debug: (message) => void lines.push(`debug ${message}`),
  };
  return { sink, lines };
}

function logEveryLevel(log: Logger): void {
  log.error('e');
  log.warn('w');
  log.info('i');
  log.debug('d');
}

test('each level lets through itself and every more severe level, to the matching sink method', () => {
  const expected: Record<(typeof LOG_LEVELS)[number], string[]> = {
    error: ['error e'],
    warning: ['error e', 'warn w'],
    info: ['error e', 'warn w', 'info i'],
    debug: ['error e', 'warn w', 'info i', 'debug d'],
  };
  for (const level of LOG_LEVELS) {
    const { sink, lines } = recording();
    logEveryLevel(new Logger(sink, level));
    assert.deepEqual(lines, expected[level], level);
  }
});

test('info by default; a changed level applies to the next line; enabled() tells before a line is built', () => {
  const { sink, lines } = recording();
  const log = new Logger(sink);
  assert.equal(log.level, 'info');
  log.debug('hidden');
  log.level = 'debug';
  assert.equal(log.enabled('debug'), true);
  log.debug('shown');
  log.level = 'error';
  assert.equal(log.enabled('warning'), false);
  assert.equal(log.enabled('error'), true);
  log.warn('hidden');
  log.error('kept');
  assert.deepEqual(lines, ['debug shown', 'error kept']);
});
