/**
 * Backups: a stack with writes from every subgraph is dumped (pg_dump, one file per database and a
 * manifest) and restored into fresh databases, after which every table of every database holds exactly
 * what the original holds; a damaged file or a database that is not empty refuses the restore and writes
 * nothing. Needs pg_dump / pg_restore of at least the server's major version: with older client tools (the
 * embedded PostgreSQL is newer than Debian's) the test says so and is skipped; CI runs it on the machine's server.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { RestoreRefused, backup, restore } from '../../shared/backup';
import { loadSubgraphConfig } from '../../shared/config';
import { addDays, todayInJapan } from '../../shared/dates';
import { SUBGRAPH_DEFINITIONS } from '../../subgraphs';
import { startTestStack, testEnv } from '../helpers/stack';
import { tableContents } from '../helpers/tables';

/** The major version of the pg_dump found (0 when none is). */
function pgDumpMajor(): number {
  try {
    const version = execFileSync(process.env.PG_BIN ? join(process.env.PG_BIN, 'pg_dump') : 'pg_dump', ['--version'], { encoding: 'utf8' });
    return Number(/(\d+)\./.exec(version)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

let stack: Awaited<ReturnType<typeof startTestStack>>;
let usable = false;
beforeAll(async () => {
  stack = await startTestStack();
  const [{ server_version_num }] = await stack.municipalities.subgraph.dataSource.query('SHOW server_version_num');
  const client = pgDumpMajor();
  usable = client >= Math.floor(Number(server_version_num) / 10000);
  if (!usable) console.warn(`pg_dump ${client || 'missing'} is older than the server (${server_version_num}): the backup test is skipped`);
}, 120_000);
afterAll(() => stack?.stop());

async function writeThroughEverySubgraph() {
  const staff = await stack.as('PREFECTURE_STAFF', '01', 'staff-01');
  const [{ id: advisorId }] = await stack.dispatch.subgraph.dataSource.query("SELECT id FROM advisor WHERE prefecture_code = '01' ORDER BY id LIMIT 1");
  const writes = [
    stack.query(
      'mutation { createCoreCenter(input: { prefectureCode: "01", name: "バックアップ検証センター", setup: SINGLE, municipalityCodes: ["011002"], operation: DIRECT, establishedOn: "2025-04-01", functions: [CONSULTATION] }) { id } }',
      undefined,
      staff,
    ),
    stack.query(
      'mutation { createBase(input: { prefectureCode: "01", name: "バックアップ検証拠点", model: NETWORKED, municipalityCodes: ["011002"], establishedOn: "2024-04-01", functions: [CONSULTATION], emergencyPreregistrations: 0 }) { id } }',
      undefined,
      staff,
    ),
    stack.query('mutation($i: RecordVisitInput!) { recordVisit(input: $i) { id } }', {
      i: {
        prefectureCode: '01',
        date: todayInJapan(),
        advisorIds: [advisorId],
        municipalityCodes: ['011002'],
        format: 'ONLINE',
        purposes: ['COUNCIL'],
        notes: '要配慮の記述',
      },
    }),
    stack.query(
      'mutation($i: IssueApiKeyInput!) { issueApiKey(input: $i) { key } }',
      { i: { name: 'バックアップ検証', scope: 'PREFECTURE', prefectureCode: '01', expiresOn: addDays(todayInJapan(), 30) } },
      staff,
    ),
  ];
  for (const { body } of await Promise.all(writes)) expect(body.errors).toBeUndefined();
}

it('restores a backup of every database into fresh ones, table for table the same', async () => {
  if (!usable) return;
  await writeThroughEverySubgraph();
  const folder = join(mkdtempSync(join(tmpdir(), 'backup-')), 'nightly');
  const umask = process.umask(0o022); // the usual one: files every user of the server may read
  const manifest = await backup(folder, SUBGRAPH_DEFINITIONS, stack.env, 'test').finally(() => process.umask(umask));
  expect(manifest.databases.map((d) => d.subgraph)).toEqual(SUBGRAPH_DEFINITIONS.map((d) => d.name));
  // The dumps hold visits' notes: the folder and every file are the operator's alone, and the umask is as it was.
  const modes = [
    folder,
    ...readdirSync(folder)
      .sort()
      .map((f) => join(folder, f)),
  ].map((path) => [path.slice(folder.length), statSync(path).mode & 0o777]);
  expect(modes).toEqual([['', 0o700], ...[...manifest.databases.map((d) => `/${d.file}`), '/manifest.json'].sort().map((f) => [f, 0o600])]);
  expect(process.umask(umask)).toBe(umask);
  expect(manifest.databases.every((d) => d.migrations.length > 0 && d.sha256.length === 64)).toBe(true);

  const target = testEnv();
  await restore(folder, SUBGRAPH_DEFINITIONS, target);
  for (const definition of SUBGRAPH_DEFINITIONS) {
    const original = { municipalities: stack.municipalities, 'support-centers': stack.supportCenters, bases: stack.bases, dispatch: stack.dispatch }[
      definition.name
    ];
    const copy = new DataSource({ type: 'postgres', url: loadSubgraphConfig(definition.name, target).database.url });
    await copy.initialize();
    try {
      expect([definition.name, await tableContents(copy)]).toEqual([definition.name, await tableContents(original.subgraph.dataSource)]);
    } finally {
      await copy.destroy();
    }
  }

  // Into databases that are not empty (the restored ones): refused, nothing written.
  await expect(restore(folder, SUBGRAPH_DEFINITIONS, target)).rejects.toThrow(/is not empty/);
  // A damaged file: refused before anything is written.
  appendFileSync(join(folder, 'dispatch.dump'), 'x');
  await expect(restore(folder, SUBGRAPH_DEFINITIONS, testEnv())).rejects.toBeInstanceOf(RestoreRefused);
}, 120_000);
