/**
 * `npm run token -- --role advisor --prefecture 01 [--subject name] [--expires 8h]`
 * prints a development bearer token signed with JWT_SECRET (the development default unless set).
 */
import { parseArgs } from 'node:util';
import { signDevelopmentToken } from '../gateway/auth';
import { ConfigError, loadGatewayConfig } from '../shared/config';
import { PREFECTURE_ROLES, ROLES, type Role, viewerFromClaims } from '../shared/context';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      prefecture: { type: 'string' },
      subject: { type: 'string' },
      expires: { type: 'string', default: '8h' },
    },
  });
  const role = values.role?.toUpperCase().replace(/-/g, '_');
  const subject = values.subject ?? `dev-${(role ?? 'user').toLowerCase()}${values.prefecture ? `-${values.prefecture}` : ''}`;
  const checked = viewerFromClaims({ sub: subject, role, prefecture: values.prefecture });
  if ('invalid' in checked) {
    console.error(
      `${checked.invalid}.\nUsage: npm run token -- --role <${ROLES.map((r) => r.toLowerCase()).join('|')}> ` +
        `[--prefecture 01] [--subject name] [--expires 8h]\n` +
        `(--prefecture is required for ${PREFECTURE_ROLES.map((r) => r.toLowerCase()).join(' and ')})`,
    );
    process.exit(2);
  }
  const config = loadGatewayConfig();
  const token = await signDevelopmentToken(config.jwt, { subject, role: checked.role as Role, prefectureCode: checked.prefectureCode }, values.expires);
  console.log(token);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
