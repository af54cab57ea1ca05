/**
 * Trusted documents for first-party front ends: an operation manifest `{ "<sha256 of the text>": "<text>" }`
 * (the format of GraphQL Code Generator's client preset with `persistedDocuments`; `npm run compose`
 * writes gateway/trusted-documents.manifest.json from the explorer's saved questions). Any caller may send a
 * manifest operation by its hash alone (`extensions.persistedQuery.sha256Hash`, or `documentId:
 * "sha256:<hash>"`); callers of the roles in TRUSTED_DOCUMENTS_ROLES may run manifest operations only.
 * Apollo's automatic persisted queries are off: no client can add a document by sending it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, parse } from 'graphql';
import type { NextFunction, Request, Response } from 'express';
import { ConfigError } from '../shared/config';
import type { Role } from '../shared/context';
import { errorsBody, forbidden } from '../shared/errors';
import { answerErrors } from '../shared/http';
import type { GatewayContext } from './context';

export type Manifest = ReadonlyMap<string, string>;

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The manifest of `files` together (the saved questions' and each front end's: config.ts trustedDocuments),
 * each checked whole before the gateway starts: JSON, an object of texts each keyed by its sha256, each a GraphQL
 * document, and not empty when roles are held to it — otherwise a ConfigError naming the file and the first thing
 * wrong, never a stack trace. A document in several files is one document (its hash is its text's).
 */
export function loadManifest({ files, roles }: { files: readonly string[]; roles: readonly Role[] }): Manifest {
  const manifest = new Map<string, string>();
  for (const file of files) for (const [hash, text] of manifestEntriesOf(file, roles)) manifest.set(hash, text);
  if (roles.length > 0 && manifest.size === 0)
    throw new ConfigError([
      `TRUSTED_DOCUMENTS_FILE: no manifest holds a document, but TRUSTED_DOCUMENTS_ROLES (${roles.join(', ')}) may run only their documents`,
    ]);
  return manifest;
}

/** One manifest file's entries, checked whole; a file absent is none (the saved questions' before `npm run compose`). */
function manifestEntriesOf(file: string, roles: readonly Role[]): Array<[string, string]> {
  const problem = (what: string) => new ConfigError([`TRUSTED_DOCUMENTS_FILE ${file}: ${what}`]);
  if (!existsSync(file)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw problem(`is not JSON (${(error as Error).message}); it must be { "<sha256 of the text>": "<text>", … }`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw problem('must be a JSON object { "<sha256 of the text>": "<text>", … }');
  const entries = Object.entries(parsed as Record<string, unknown>);
  const notText = entries.find(([, text]) => typeof text !== 'string');
  if (notText) throw problem(`the entry ${notText[0]} is not the text of a document`);
  const wrong = entries.filter(([hash, text]) => sha256(text as string) !== hash.replace(/^sha256:/, ''));
  if (wrong.length > 0) throw problem(`${wrong.length} entr(ies) whose key is not the sha256 of the document, e.g. ${wrong[0][0]}`);
  for (const [hash, text] of entries) {
    try {
      parse(text as string);
    } catch (error) {
      throw problem(`the document ${hash} is not GraphQL (${(error as Error).message})`);
    }
  }
  // A front end's manifest that came out empty (a failed build) would hold its users to nothing they send.
  if (roles.length > 0 && entries.length === 0)
    throw problem(`holds no documents, but TRUSTED_DOCUMENTS_ROLES (${roles.join(', ')}) may run only the manifests' documents`);
  return entries.map(([hash, text]) => [hash.replace(/^sha256:/, ''), text as string]);
}

/** The names of the manifest's operations (the saved questions'): metrics label them whoever asks. */
export function operationNamesOf(manifest: Manifest): Set<string> {
  const names = new Set<string>();
  for (const text of manifest.values())
    for (const definition of parse(text).definitions) if (definition.kind === Kind.OPERATION_DEFINITION && definition.name) names.add(definition.name.value);
  return names;
}

/** A manifest of documents, keyed by their hashes (what compose writes). */
export function manifestOf(documents: readonly string[]): Record<string, string> {
  return Object.fromEntries(documents.map((text) => [sha256(text), text]));
}

const notFound = (res: Response, hash: string) =>
  answerErrors(
    res,
    400,
    errorsBody(
      `No trusted document has hash ${hash.slice(0, 64)} / 登録された操作が見つかりません`,
      'PERSISTED_QUERY_NOT_FOUND',
      '登録された操作が見つかりません（ハッシュを確認してください）',
    ),
  );

/**
 * Fills in the text of an operation sent by its hash, and drops APQ's extension from requests that send
 * the text; returns the hash when no trusted document has it.
 */
export function fillPersistedDocument(body: Record<string, unknown>, manifest: Manifest): string | undefined {
  const { extensions } = body as { extensions?: { persistedQuery?: { sha256Hash?: unknown } } };
  const apq = extensions?.persistedQuery?.sha256Hash;
  const id = typeof body.documentId === 'string' ? body.documentId.replace(/^sha256:/, '') : undefined;
  const hash = typeof apq === 'string' ? apq : id;
  if (hash !== undefined && typeof body.query !== 'string') {
    const text = manifest.get(hash);
    if (text === undefined) return hash;
    body.query = text;
  }
  if (extensions?.persistedQuery) delete extensions.persistedQuery;
  delete body.documentId;
  return undefined;
}

/**
 * A GET's GraphQL parameters as fillPersistedDocument reads them (`extensions` is JSON in the URL);
 * undefined when one is repeated or `extensions` is not JSON (Apollo Server then says what is wrong).
 */
function getParameters(params: URLSearchParams): Record<string, unknown> | undefined {
  if (['query', 'documentId', 'extensions'].some((name) => params.getAll(name).length > 1)) return undefined;
  const parameters: Record<string, unknown> = {};
  const query = params.get('query');
  if (query !== null) parameters.query = query;
  const documentId = params.get('documentId');
  if (documentId !== null) parameters.documentId = documentId;
  const extensions = params.get('extensions');
  if (extensions !== null) {
    try {
      parameters.extensions = JSON.parse(extensions);
    } catch {
      return undefined;
    }
  }
  return parameters;
}

/**
 * Express middleware: fillPersistedDocument for a POST's body and for a GET's URL (Apollo Client's
 * `useGETForHashedQueries`), and PERSISTED_QUERY_NOT_FOUND for a hash no trusted document has.
 */
export function persistedDocuments(manifest: Manifest) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET') {
      const url = new URL(req.url, 'http://gateway');
      const parameters = getParameters(url.searchParams);
      const sentByHash = parameters && (parameters.documentId !== undefined || parameters.extensions !== undefined);
      if (!sentByHash) return next();
      const unknown = fillPersistedDocument(parameters, manifest);
      if (unknown !== undefined) return notFound(res, unknown);
      // Apollo Server reads a GET's parameters from the URL: the text goes there, the hash goes.
      if (typeof parameters.query === 'string') url.searchParams.set('query', parameters.query);
      if (parameters.extensions !== undefined) url.searchParams.set('extensions', JSON.stringify(parameters.extensions));
      url.searchParams.delete('documentId');
      req.url = `${url.pathname}${url.search}`;
      return next();
    }
    const body = req.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body)) return next();
    const unknown = fillPersistedDocument(body, manifest);
    if (unknown !== undefined) return notFound(res, unknown);
    next();
  };
}

/** Callers of `roles` run manifest operations only (the gateway's own exports excepted: they are fixed operations too). */
export function trustedDocumentsPlugin(manifest: Manifest, roles: readonly Role[]): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const role = contextValue.viewer?.role;
      if (!role || !roles.includes(role) || contextValue.exporting) return;
      return {
        async didResolveOperation({ queryHash }) {
          if (!manifest.has(queryHash)) {
            throw forbidden(
              `role ${role} runs only the operations of the front ends' manifest (trusted documents); this one is not in it`,
              'この役割では登録済みの操作（信頼済みドキュメント）だけを実行できます',
            );
          }
        },
      };
    },
  };
}
