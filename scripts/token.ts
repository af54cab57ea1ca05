/**
 * `npm run token -- --role advisor --prefecture 01 [--advisor 2] [--subject name] [--expires 8h]`
 * prints a development bearer token signed with JWT_SECRET (the development default unless set).
 * An advisor's token is, by default, that of the prefecture's first sample advisor (`--advisor N` for
 * the N-th), whose subject the sample links, so `recordVisit` works with it as it is.
 */
import { signDevelopmentToken } from '../gateway/auth';
import { readCommandLine } from '../shared/command-line';
import { ConfigError, loadGatewayConfig } from '../shared/config';
import { PREFECTURE_ROLES, ROLES, type Role, viewerFromClaims } from '../shared/context';
import { sampleAdvisorCount, sampleAdvisorSubject } from '../subgraphs/dispatch/sample/generate';

const USAGE =
  `Usage: npm run token -- --role <${ROLES.map((r) => r.toLowerCase()).join('|')}> [--prefecture 01] [--advisor N] [--subject name] [--expires 12h at most]\n` +
  `(--prefecture is required for ${PREFECTURE_ROLES.map((r) => r.toLowerCase()).join(' and ')})`;

async function main(): Promise<void> {
  const { values } = readCommandLine({
    usage: USAGE,
    options: {
      role: { type: 'string' },
      prefecture: { type: 'string' },
      subject: { type: 'string' },
      advisor: { type: 'string' },
      expires: { type: 'string', default: '8h' },
    },
  });
  const role = values.role?.toUpperCase().replace(/-/g, '_');
  const prefecture = values.prefecture ?? '';
  const advisorNumber = Number(values.advisor ?? '1');
  if (values.advisor !== undefined && (!Number.isInteger(advisorNumber) || advisorNumber < 1 || advisorNumber > sampleAdvisorCount(prefecture))) {
    const count = sampleAdvisorCount(prefecture);
    console.error(
      count === 0
        ? `prefecture ${prefecture || '(none given)'} has no sample advisors; use --subject`
        : `--advisor must be 1 to ${count}: the sample advisors of prefecture ${prefecture}`,
    );
    process.exit(2);
  }
  const sampleAdvisor = role === 'ADVISOR' && sampleAdvisorCount(prefecture) > 0 ? sampleAdvisorSubject(prefecture, advisorNumber) : undefined;
  const subject = values.subject ?? sampleAdvisor ?? `dev-${(role ?? 'user').toLowerCase()}${prefecture ? `-${prefecture}` : ''}`;
  const checked = viewerFromClaims({ sub: subject, role, prefecture: values.prefecture });
  if ('invalid' in checked) {
    console.error(`${checked.invalid}.\n${USAGE}`);
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
