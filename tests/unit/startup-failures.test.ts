/**
 * How every entry point (npm start, a service alone, migrate, import, backup, restore) reports what stopped it:
 * a cause the user can act on — a setting, a port, the database, a file or folder — as its message alone;
 * anything else (a defect) with its stack.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { ConfigError } from '../../shared/config';
import { DatabaseAheadOfCode, DatabasePermissionError } from '../../shared/database';
import { PortInUseError } from '../../shared/http';
import { reportStartupFailure } from '../../shared/main';

const printedFor = (error: unknown): unknown[] => {
  const printed: unknown[] = [];
  const spy = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void printed.push(...args));
  try {
    reportStartupFailure(error);
  } finally {
    spy.mockRestore();
  }
  return printed;
};
const thrownBy = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('nothing thrown');
};

it('prints a cause the user can act on as its message alone', () => {
  expect(printedFor(new ConfigError(['TRUSTED_DOCUMENTS_FILE x.json: is not JSON']))).toEqual([
    'Invalid configuration:\n  - TRUSTED_DOCUMENTS_FILE x.json: is not JSON',
  ]);
  expect(printedFor(new DatabasePermissionError('postgres://app:pw@db.example/x', 'create database x', 'have it created'))).toEqual([
    'PostgreSQL at db.example:5432 does not let app create database x: have it created',
  ]);
  expect(printedFor(new DatabaseAheadOfCode('advisor_bases', ['Newer1790000000000']))).toEqual([
    expect.stringMatching(/^database advisor_bases has migrations this version does not know \(Newer1790000000000\)/),
  ]);
  expect(printedFor(new PortInUseError(4000, 'GATEWAY_PORT'))).toEqual([expect.stringContaining('GATEWAY_PORT')]);
});

it('prints a file or folder a command could not use as what the system said (a backup folder that cannot be made, a restore folder without its manifest)', () => {
  expect(printedFor(thrownBy(() => mkdirSync('/etc/passwd/backup', { recursive: true })))).toEqual(["ENOTDIR: not a directory, mkdir '/etc/passwd/backup'"]);
  expect(printedFor(thrownBy(() => readFileSync('/nonexistent/manifest.json')))).toEqual([
    "ENOENT: no such file or directory, open '/nonexistent/manifest.json'",
  ]);
});

it('prints anything else with its stack: a defect is reported where it happened', () => {
  const defect = new TypeError("Cannot read properties of undefined (reading 'x')");
  expect(printedFor(defect)).toEqual([defect]);
});
