/**
 * The trusted-documents manifest an operator names (TRUSTED_DOCUMENTS_FILE) is checked whole before the
 * gateway starts, and anything wrong with it is a configuration problem naming the file and what is wrong —
 * never a stack trace, never a gateway that starts holding advisors to a manifest it could not read.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadGatewayConfig } from '../../shared/config';
import { loadManifest, manifestOf, sha256 } from '../../gateway/trusted-documents';

const folder = mkdtempSync(join(tmpdir(), 'manifest-'));
const manifestFile = (name: string, text: string) => {
  const file = join(folder, name);
  writeFileSync(file, text);
  return file;
};
const problemOf = (load: () => unknown) => {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('loaded');
};

it('loads a manifest as GraphQL Code Generator writes it, with or without the sha256: prefix', () => {
  const text = '{ prefectures { code } }';
  const file = manifestFile('good.json', JSON.stringify({ ...manifestOf([text]), [`sha256:${sha256('{ viewer { role } }')}`]: '{ viewer { role } }' }));
  expect([...loadManifest({ file, roles: ['ADVISOR'] }).keys()]).toEqual([sha256(text), sha256('{ viewer { role } }')]);
});

it('refuses a file that is not the manifest, saying what is wrong with it', () => {
  const cases: Array<[string, RegExp]> = [
    ['{bad', /: is not JSON \(.*\); it must be \{ "<sha256 of the text>": "<text>", … \}$/],
    ['["{ x }"]', /: must be a JSON object/],
    ['{"abc": 1}', /: the entry abc is not the text of a document$/],
    ['{"abc": "{ x }"}', /: 1 entr\(ies\) whose key is not the sha256 of the document, e.g. abc$/],
    [JSON.stringify(manifestOf(['{ prefectures { code }'])), /: the document [0-9a-f]{64} is not GraphQL \(Syntax Error: Expected Name, found <EOF>\.\)$/],
  ];
  for (const [text, reason] of cases) {
    const file = manifestFile('bad.json', text);
    const [problem] = problemOf(() => loadManifest({ file, roles: [] }));
    expect(problem.startsWith(`TRUSTED_DOCUMENTS_FILE ${file}: `)).toBe(true);
    expect(problem).toMatch(reason);
  }
});

it('refuses an empty manifest when roles are held to it (they could run nothing), and allows one otherwise', () => {
  const file = manifestFile('empty.json', '{}');
  expect(problemOf(() => loadManifest({ file, roles: ['ADVISOR', 'PREFECTURE_STAFF'] }))).toEqual([
    `TRUSTED_DOCUMENTS_FILE ${file}: holds no documents, but TRUSTED_DOCUMENTS_ROLES (ADVISOR, PREFECTURE_STAFF) may run only its documents`,
  ]);
  expect(loadManifest({ file, roles: [] }).size).toBe(0);
});

it('refuses a named file that does not exist (a mistyped path), while the default file may be absent', () => {
  const missing = join(folder, 'mistyped.json');
  expect(problemOf(() => loadGatewayConfig({ TRUSTED_DOCUMENTS_FILE: missing }))).toEqual([`TRUSTED_DOCUMENTS_FILE names ${missing}, which does not exist`]);
  expect(loadManifest({ file: missing, roles: [] }).size).toBe(0);
});
