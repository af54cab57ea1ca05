import { databaseOutage } from '../../shared/database';

const isDatabaseUnavailable = (error: unknown) => databaseOutage(error) !== undefined;

describe('databaseOutage', () => {
  // 57014: a statement cancelled (statement_timeout, pg_cancel_backend): the database did not answer in time.
  // 55P03: a lock not had within lock_timeout; 58030: the server's disk failed a read or write.
  it.each(['08006', '08001', '57P01', '53300', '57014', '55P03', '58030'])('reads SQLSTATE %s as the database out of reach (SUBGRAPH_UNAVAILABLE)', (code) => {
    expect(isDatabaseUnavailable({ code })).toBe(true);
    expect(isDatabaseUnavailable({ driverError: { code } })).toBe(true);
  });

  it.each(['08P01', '23505', '42601', '57000', '570140'])('reads SQLSTATE %s as no outage: a defect or a conflict, not "try again shortly"', (code) => {
    // 08P01 (protocol violation) is what a statement sent with too few parameters gets.
    expect(isDatabaseUnavailable({ code })).toBe(false);
  });

  it('reads a database that takes no changes now (25006: a standby after a failover, maintenance) as such, not as out of reach', () => {
    expect(databaseOutage({ driverError: { code: '25006' } })).toEqual({
      reason: 'its database takes no changes now (read-only: a failover or maintenance)',
      reasonJa: 'データベースが現在変更を受け付けていません（読み取り専用: 切り替えまたは保守中）',
    });
  });

  it('reads a refused connection as the database out of reach', () => {
    expect(isDatabaseUnavailable({ code: 'ECONNREFUSED' })).toBe(true);
  });
});
