import { isDatabaseUnavailable } from '../../shared/database';

describe('isDatabaseUnavailable', () => {
  // 57014: a statement cancelled (statement_timeout, pg_cancel_backend): the database did not answer in time.
  it.each(['08006', '08001', '57P01', '53300', '57014'])('reads SQLSTATE %s as the database out of reach (SUBGRAPH_UNAVAILABLE)', (code) => {
    expect(isDatabaseUnavailable({ code })).toBe(true);
    expect(isDatabaseUnavailable({ driverError: { code } })).toBe(true);
  });

  it.each(['08P01', '23505', '42601', '57000', '570140'])('reads SQLSTATE %s as no outage: a defect or a conflict, not "try again shortly"', (code) => {
    // 08P01 (protocol violation) is what a statement sent with too few parameters gets.
    expect(isDatabaseUnavailable({ code })).toBe(false);
  });

  it('reads a refused connection as the database out of reach', () => {
    expect(isDatabaseUnavailable({ code: 'ECONNREFUSED' })).toBe(true);
  });
});
