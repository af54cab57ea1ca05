/**
 * The database users a production deployment is given: deploy/database-users.sql's two users (the owner
 * migrates, the services run as a user that only reads and writes rows) work end to end, and a user the
 * database refuses something — to create its database, to change its schema, to use its tables, to
 * connect — stops the service with one line naming what and the statement that grants it (never a stack
 * trace, never the password).
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import pino from 'pino';
import { loadSubgraphConfig } from '../../shared/config';
import { DatabasePermissionError, DatabaseUnreachableError, ensureDatabase, openDatabase } from '../../shared/database';
import { projectPath } from '../../shared/paths';
import { SUBGRAPH_DEFINITIONS } from '../../subgraphs';
import { sampleAdvisorSubject } from '../../subgraphs/dispatch/sample/generate';
import { startTestStack } from '../helpers/stack';

const log = pino({ level: 'silent' });
const server = () => process.env.TEST_DATABASE_URL!;
// Roles are the server's, not a database's: each named after this run, and dropped after.
const prefix = `${process.env.TEST_RUN_PREFIX}${randomBytes(2).toString('hex')}_`;
const roles = { owner: `${prefix}owner`, app: `${prefix}app`, bare: `${prefix}bare` };
const PASSWORDS = { owner: 'change-me-owner', app: 'change-me-app', bare: 'bare-password-s3cret' };

/** The server's URL as another user. */
function as(role: keyof typeof roles, database = 'postgres'): string {
  const url = new URL(server());
  url.username = roles[role];
  url.password = PASSWORDS[role];
  url.pathname = `/${database}`;
  return url.toString();
}

async function onDatabase<T>(url: string, run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Runs a psql script the way psql would: each `\connect` switches database, each statement on its own (CREATE DATABASE cannot share a transaction). */
async function runPsqlScript(script: string): Promise<void> {
  let database = new URL(server()).pathname.slice(1);
  const chunks = script.split(/^\\connect (\S+)\s*$/m);
  for (let i = 0; i < chunks.length; i += 2) {
    if (i > 0) database = chunks[i - 1];
    const statements = chunks[i]
      .replace(/^--.*$/gm, '')
      .split(/;\s*$/m)
      .map((s) => s.trim())
      .filter(Boolean);
    const url = new URL(server());
    url.pathname = `/${database}`;
    await onDatabase(url.toString(), async (client) => {
      for (const statement of statements) await client.query(statement);
    });
  }
}

const databaseConfig = (name: (typeof SUBGRAPH_DEFINITIONS)[number]['name'], env: Record<string, string>) => loadSubgraphConfig(name, env).database;

beforeAll(async () => {
  // The file as a DBA runs it, with this run's names for the users and the databases.
  const script = readFileSync(projectPath('deploy/database-users.sql'), 'utf8').replaceAll('advisor_', prefix);
  await runPsqlScript(script);
  await onDatabase(server(), (client) => client.query(`CREATE ROLE "${roles.bare}" LOGIN PASSWORD '${PASSWORDS.bare}'`));
  // The deploy step, as the owner: `npm run migrate` opens every database this way.
  for (const definition of SUBGRAPH_DEFINITIONS) {
    const owner = await openDatabase(databaseConfig(definition.name, { DATABASE_URL: as('owner'), DATABASE_PREFIX: prefix }), definition.database, log);
    await owner.destroy();
  }
}, 120_000);

afterAll(async () => {
  await onDatabase(server(), async (client) => {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [prefix]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    for (const role of Object.values(roles)) await client.query(`DROP ROLE IF EXISTS "${role}"`);
  });
});

describe("deploy/database-users.sql's two users", () => {
  it('serve reads, writes and imports through the gateway as the app user, which cannot change the schema', async () => {
    const stack = await startTestStack({ DATABASE_URL: as('app'), DATABASE_PREFIX: prefix });
    try {
      const advisor = await stack.as('ADVISOR', '01', sampleAdvisorSubject('01', 1)); // signed in against the registry: read too
      const recorded = await stack.query(
        `mutation { recordVisit(input: { prefectureCode: "01", date: "2025-06-02", format: ON_SITE, municipalityCodes: ["011002"],
           purposes: [NETWORK_BUILDING], notes: "面談の記録" }) { id } }`,
        undefined,
        advisor,
      );
      expect(recorded.body.errors).toBeUndefined();
      const read = await stack.query(`{ visit(id: "${recorded.body.data!.recordVisit.id}") { date notes } }`, undefined, advisor);
      expect(read.body).toEqual({ data: { visit: { date: '2025-06-02', notes: '面談の記録' } } });
      const gaps = await stack.query('{ prefecture(code: "01") { coreCenterGaps(populationBelow: 10000) { code } } }');
      expect(gaps.body.errors).toBeUndefined();
      expect(gaps.body.data!.prefecture.coreCenterGaps.length).toBeGreaterThan(0);
      // An import (its history, its own table of imports) and its undo.
      const staff = await stack.as('PREFECTURE_STAFF', '01');
      const file = await (await fetch(new URL('/import/core-centers.csv?prefecture=01', stack.gateway.url), { headers: staff })).text();
      const edited = file.replace(/\r?\n(.*?,01,)([^,]*),/, (_all, head: string, name: string) => `\n${head}${name}（改）,`);
      const form = new FormData();
      form.append('file', new Blob([edited], { type: 'text/csv' }), 'centers.csv');
      const imported = (await (await fetch(new URL('/import/core-centers', stack.gateway.url), { method: 'POST', body: form, headers: staff })).json()) as {
        updated: number;
        importId: string;
      };
      expect(imported).toMatchObject({ updated: 1, applied: true });
      const reverted = await fetch(new URL(`/import/core-centers/${imported.importId}/revert`, stack.gateway.url), { method: 'POST', headers: staff });
      expect(reverted.status).toBe(200);
    } finally {
      await stack.stop();
    }
    await onDatabase(as('app', `${prefix}dispatch`), async (client) => {
      // A request's statement is bounded (the role's statement_timeout); an import's transaction lifts it (it waits its turn).
      expect((await client.query('SHOW statement_timeout')).rows[0]).toEqual({ statement_timeout: '1min' });
      await expect(client.query('CREATE TABLE intruder (a int)')).rejects.toMatchObject({ code: '42501' });
      await expect(client.query('DROP TABLE visit')).rejects.toMatchObject({ code: '42501' });
    });
  }, 120_000);
});

describe('a database user refused something a service needs is told in one line', () => {
  const oneLine = async (opening: Promise<unknown>) => {
    const error = (await opening.then(
      () => undefined,
      (e: unknown) => e,
    )) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.message).not.toContain('\n');
    for (const password of Object.values(PASSWORDS)) expect(error.message).not.toContain(password);
    return error;
  };
  const municipalities = SUBGRAPH_DEFINITIONS.find((d) => d.name === 'municipalities')!;

  it('may not create its database: the statement that creates it, or the setting that names one', async () => {
    const error = await oneLine(
      openDatabase(databaseConfig('municipalities', { DATABASE_URL: as('app'), DATABASE_PREFIX: `${prefix}new_` }), municipalities.database, log),
    );
    expect(error).toBeInstanceOf(DatabasePermissionError);
    expect(error.message).toBe(
      `PostgreSQL at ${new URL(server()).hostname}:${new URL(server()).port || 5432} does not let ${roles.app} create database ${prefix}new_municipalities: have it created ` +
        `(CREATE DATABASE "${prefix}new_municipalities" OWNER "${roles.app}";), or set MUNICIPALITIES_DATABASE_URL to a database that exists`,
    );
  });

  it('may not change the schema where migrations are pending: run them as the owner', async () => {
    const database = `${prefix}pending_municipalities`;
    await onDatabase(server(), (client) => client.query(`CREATE DATABASE "${database}" OWNER "${roles.owner}"`));
    const url = new URL(as('app'));
    url.pathname = `/${database}`;
    // As deploy/database-users.sql has it: before PostgreSQL 15 anyone may create tables in public.
    const inDatabase = new URL(server());
    inDatabase.pathname = `/${database}`;
    await onDatabase(inDatabase.toString(), (client) => client.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC'));
    const error = await oneLine(openDatabase(databaseConfig('municipalities', { MUNICIPALITIES_DATABASE_URL: url.toString() }), municipalities.database, log));
    expect(error).toBeInstanceOf(DatabasePermissionError);
    expect(error.message).toContain(`does not let ${roles.app} change the schema of database ${database}`);
    expect(error.message).toContain("run `npm run migrate` with the URL of the database's owner");
  });

  it('may not use the tables: the GRANT to run, before any request fails on it', async () => {
    const error = await oneLine(
      openDatabase(databaseConfig('dispatch', { DATABASE_URL: as('bare'), DATABASE_PREFIX: prefix }), SUBGRAPH_DEFINITIONS[3].database, log),
    );
    expect(error).toBeInstanceOf(DatabasePermissionError);
    expect(error.message).toMatch(
      new RegExp(`^PostgreSQL at \\S+ does not let ${roles.bare} read and write the tables of database ${prefix}dispatch \\(\\w+, `),
    );
    expect(error.message).toContain(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "${roles.bare}"`);
  });

  it('may not connect to its database: the GRANT CONNECT, naming the setting', async () => {
    const database = `${prefix}municipalities`;
    await onDatabase(server(), (client) => client.query(`REVOKE CONNECT ON DATABASE "${database}" FROM PUBLIC`));
    try {
      const url = new URL(as('bare'));
      url.pathname = `/${database}`;
      const error = await oneLine(
        openDatabase(databaseConfig('municipalities', { MUNICIPALITIES_DATABASE_URL: url.toString() }), municipalities.database, log),
      );
      expect(error).toBeInstanceOf(DatabaseUnreachableError);
      expect(error.message).toContain(
        `as ${roles.bare} (MUNICIPALITIES_DATABASE_URL): the user may not connect to database ${database} (GRANT CONNECT ON DATABASE`,
      );
    } finally {
      await onDatabase(server(), (client) => client.query(`GRANT CONNECT ON DATABASE "${database}" TO PUBLIC`));
    }
  });

  it('a database that exists needs no connection to the maintenance database (a user given only its own starts)', async () => {
    const unreachable = 'postgres://nobody@127.0.0.1:1/postgres';
    const url = new URL(as('app'));
    url.pathname = `/${prefix}bases`;
    await expect(
      ensureDatabase({ url: url.toString(), adminUrl: unreachable, setting: 'BASES_DATABASE_URL', ownSetting: 'BASES_DATABASE_URL' }),
    ).resolves.toBeUndefined();
  });
});
