import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { backoffMs, isDatabaseUnavailable, outageReason, untilDatabaseAnswers } from './outage.ts';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });
const wrapped = (cause: unknown) => new DrizzleQueryError('select 1 where id = $1', [42], cause as Error);

describe('what counts as the database being unavailable', () => {
  it.each([
    ['admin shutdown', pgError('57P01', 'terminating connection due to administrator command')],
    ['crash shutdown', pgError('57P02')],
    ['starting up', pgError('57P03', 'the database system is starting up')],
    ['statement timeout', pgError('57014', 'canceling statement due to statement timeout')],
    ['lock timeout', pgError('55P03', 'canceling statement due to lock timeout')],
    ['idle transaction ended', pgError('25P03')],
    ['too many clients', pgError('53300', 'sorry, too many clients already')],
    ['a connection exception', pgError('08006', 'connection failure')],
    ['refused', pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['reset', pgError('ECONNRESET')],
    ['no such host', pgError('ENOTFOUND')],
    ['connect timeout', new Error('Connection terminated due to connection timeout')],
    ['no free connection', new Error('timeout exceeded when trying to connect')],
    ['frozen server', new Error('Query read timeout')],
    ['lost connection', new Error('Connection terminated unexpectedly')],
    ['dead client', new Error('Client has encountered a connection error and is not queryable')],
    ['every address refused', new AggregateError([pgError('ECONNREFUSED'), pgError('ECONNREFUSED')])],
  ])('%s, bare or wrapped by drizzle', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(isDatabaseUnavailable(wrapped(error))).toBe(true);
  });

  it.each([
    ['a unique violation', pgError('23505')],
    ['a bad number', pgError('22P02')],
    ['division by zero', pgError('22012')],
    ['a wrong password', pgError('28P01', 'password authentication failed')],
    ['a missing database', pgError('3D000')],
    ['a bug', new TypeError('x is undefined')],
  ])('not %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
    expect(isDatabaseUnavailable(wrapped(error))).toBe(false);
  });

  it('names the reason without the statement’s values', () => {
    const reason = outageReason(wrapped(pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')));
    expect(reason).toBe('ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:5432');
  });
});

describe('waiting for the database', () => {
  it('tries again while it is unavailable, logging each try, backing off', async () => {
    const warnings: { attempt: number; retryInMs: number }[] = [];
    const delays: number[] = [];
    let calls = 0;
    const result = await untilDatabaseAnswers(
      async () => {
        if (++calls < 4) throw wrapped(pgError('ECONNREFUSED'));
        return 'migrated';
      },
      {
        what: 'test',
        log: { warn: (fields) => warnings.push(fields as (typeof warnings)[number]) },
        delayMs: (attempt) => {
          delays.push(backoffMs(attempt));
          return 1;
        },
      },
    );
    expect(result).toBe('migrated');
    expect(warnings.map((w) => w.attempt)).toEqual([1, 2, 3]);
    expect(delays).toEqual([1_000, 2_000, 4_000]);
    expect(backoffMs(20)).toBe(30_000);
  });

  it('gives up at once on anything else (a wrong password, a failed migration)', async () => {
    let calls = 0;
    const failing = untilDatabaseAnswers(
      async () => {
        calls++;
        throw pgError('28P01', 'password authentication failed');
      },
      { what: 'test', delayMs: () => 1 },
    );
    await expect(failing).rejects.toThrow('password authentication failed');
    expect(calls).toBe(1);
  });

  it('stops waiting when the process is stopping', async () => {
    let stopping = false;
    const waiting = untilDatabaseAnswers(
      async () => {
        stopping = true;
        throw pgError('ECONNREFUSED');
      },
      { what: 'test', stopped: () => stopping, delayMs: () => 1 },
    );
    await expect(waiting).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
