/**
 * The trusted-documents manifest an operator names (TRUSTED_DOCUMENTS_FILE) is checked whole before the
 * gateway starts, and anything wrong with it is a configuration problem naming the file and what is wrong —
 * never a stack trace, never a gateway that starts holding advisors to a manifest it could not read.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, SAVED_QUESTIONS_MANIFEST, loadGatewayConfig } from '../../shared/config';
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
  expect([...loadManifest({ files: [file], roles: ['ADVISOR'] }).keys()]).toEqual([sha256(text), sha256('{ viewer { role } }')]);
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
    const [problem] = problemOf(() => loadManifest({ files: [file], roles: [] }));
    expect(problem.startsWith(`TRUSTED_DOCUMENTS_FILE ${file}: `)).toBe(true);
    expect(problem).toMatch(reason);
  }
});

it('refuses an empty manifest when roles are held to it (they could run nothing), and allows one otherwise', () => {
  const file = manifestFile('empty.json', '{}');
  expect(problemOf(() => loadManifest({ files: [file], roles: ['ADVISOR', 'PREFECTURE_STAFF'] }))).toEqual([
    `TRUSTED_DOCUMENTS_FILE ${file}: holds no documents, but TRUSTED_DOCUMENTS_ROLES (ADVISOR, PREFECTURE_STAFF) may run only the manifests' documents`,
  ]);
  expect(loadManifest({ files: [file], roles: [] }).size).toBe(0);
});

it('refuses a named file that does not exist (a mistyped path), while the default file may be absent', () => {
  const missing = join(folder, 'mistyped.json');
  expect(problemOf(() => loadGatewayConfig({ TRUSTED_DOCUMENTS_FILE: missing }))).toEqual([`TRUSTED_DOCUMENTS_FILE names ${missing}, which does not exist`]);
  expect(loadManifest({ files: [missing], roles: [] }).size).toBe(0);
});

it("takes several manifests (one per front end, or a front end's two releases while it is rolled out), always with the saved questions'", () => {
  const advisorApp = manifestFile('advisor-app.json', JSON.stringify(manifestOf(['query Towns { prefectures { code } }', '{ viewer { role } }'])));
  const staffApp = manifestFile('staff-app.json', JSON.stringify(manifestOf(['query Staff { viewer { role prefectureCode } }', '{ viewer { role } }'])));
  const config = loadGatewayConfig({ TRUSTED_DOCUMENTS_FILE: `${advisorApp}, ${staffApp}`, TRUSTED_DOCUMENTS_ROLES: 'ADVISOR' });
  expect(config.trustedDocuments.files).toEqual([SAVED_QUESTIONS_MANIFEST, advisorApp, staffApp]);
  const manifest = loadManifest(config.trustedDocuments);
  const savedQuestions = Object.keys(JSON.parse(readFileSync(SAVED_QUESTIONS_MANIFEST, 'utf8')));
  expect(savedQuestions.length).toBeGreaterThan(5);
  expect(manifest.size).toBe(savedQuestions.length + 3); // the document both front ends send is one
  for (const text of ['query Towns { prefectures { code } }', '{ viewer { role } }', 'query Staff { viewer { role prefectureCode } }'])
    expect(manifest.get(sha256(text))).toBe(text);
  // Each file is checked on its own and named: a front end's build that wrote an empty manifest, one file mistyped.
  const empty = manifestFile('empty-build.json', '{}');
  expect(problemOf(() => loadManifest({ files: [SAVED_QUESTIONS_MANIFEST, empty], roles: ['ADVISOR'] }))).toEqual([
    `TRUSTED_DOCUMENTS_FILE ${empty}: holds no documents, but TRUSTED_DOCUMENTS_ROLES (ADVISOR) may run only the manifests' documents`,
  ]);
  const missing = join(folder, 'staff-app-v2.json');
  expect(problemOf(() => loadGatewayConfig({ TRUSTED_DOCUMENTS_FILE: `${advisorApp},${missing}` }))).toEqual([
    `TRUSTED_DOCUMENTS_FILE names ${missing}, which does not exist`,
  ]);
});
