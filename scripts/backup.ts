/**
 * `npm run backup -- FOLDER` and `npm run restore -- FOLDER` (shared/backup.ts): every subgraph's database
 * dumped with pg_dump into FOLDER with a manifest, and restored from it into new, empty databases. Uses
 * DATABASE_URL (or each `<SUBGRAPH>_DATABASE_URL`, and DATABASE_PREFIX), else the embedded PostgreSQL of
 * `npm start`; PG_BIN names the folder of pg_dump / pg_restore when they are not on PATH.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { backup, restore, RestoreRefused } from '../shared/backup';
import { projectPath } from '../shared/paths';
import { reportStartupFailure } from '../shared/main';
import { readCommandLine } from '../shared/command-line';
import { SUBGRAPH_DEFINITIONS } from '../subgraphs';
import { withDatabaseUrl } from './database-url';

async function main(): Promise<number> {
  const usage =
    "Usage: npm run backup -- FOLDER   dumps every subgraph's database into FOLDER (new, or empty)\n" +
    '       npm run restore -- FOLDER  restores such a backup into new, empty databases (README "Backups")';
  const [command, folder] = readCommandLine({ usage, positionals: { min: 2, max: 2 } }).positionals;
  if (!['backup', 'restore'].includes(command)) {
    console.error(usage);
    return 2;
  }
  const release = JSON.parse(readFileSync(projectPath('package.json'), 'utf8')).version as string;
  return withDatabaseUrl(async (env) => {
    if (command === 'backup') {
      const manifest = await backup(folder, SUBGRAPH_DEFINITIONS, env, release);
      for (const d of manifest.databases)
        console.log(`${d.subgraph}: ${d.database} → ${folder}/${d.file} (${d.bytes} bytes, ${d.migrations.length} migrations)`);
    } else {
      const manifest = await restore(folder, SUBGRAPH_DEFINITIONS, env);
      console.log(
        `restored the backup of ${manifest.createdAt} (release ${manifest.release}, PostgreSQL ${manifest.serverVersion}): ${manifest.databases.map((d) => d.subgraph).join(', ')}`,
      );
    }
    return 0;
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof RestoreRefused) console.error(`restore refused, nothing restored: ${error.message}`);
    else if ((error as { stderr?: string }).stderr) console.error(String((error as { stderr?: string }).stderr));
    else reportStartupFailure(error);
    process.exit(1);
  },
);
