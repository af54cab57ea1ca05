/**
 * `npm run migrate`: brings every subgraph's database up to this version's schema, before the new version
 * starts (the deploy step; README "Running in production"). Creates a database that does not exist, runs
 * each pending migration in its own transaction, and stops with an error, changing nothing more, at a
 * database that is ahead of this code (migrated by a newer release). Uses DATABASE_URL (or each
 * `<SUBGRAPH>_DATABASE_URL`), else the embedded PostgreSQL of `npm start`.
 */
import 'reflect-metadata';
import { loadSubgraphConfig } from '../shared/config';
import { openDatabase } from '../shared/database';
import { createLogger } from '../shared/log';
import { reportStartupFailure } from '../shared/main';
import { readCommandLine } from '../shared/command-line';
import { SUBGRAPH_DEFINITIONS } from '../subgraphs';
import { withDatabaseUrl } from './database-url';

async function main(): Promise<void> {
  readCommandLine({
    usage:
      "Usage: npm run migrate\nBrings every subgraph's database up to this release's schema (creating those that do not exist), with\n" +
      'DATABASE_URL (or each <SUBGRAPH>_DATABASE_URL and DATABASE_PREFIX), else the embedded PostgreSQL of npm start.',
  });
  await withDatabaseUrl(async (env) => {
    for (const definition of SUBGRAPH_DEFINITIONS) {
      const log = createLogger(`migrate-${definition.name}`);
      const dataSource = await openDatabase(loadSubgraphConfig(definition.name, env).database, definition.database, log);
      const [{ count }] = await dataSource.query('SELECT count(*)::int AS count FROM migrations');
      console.log(`${definition.name}: up to date (${count} migrations applied)`);
      await dataSource.destroy();
    }
  });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    reportStartupFailure(error);
    process.exit(1);
  },
);
