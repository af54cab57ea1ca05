/**
 * A front end held to trusted documents (README "Trusted documents"): Apollo Client sends each operation
 * by its sha256 alone, over GET (`useGETForHashedQueries`: short requests the browser may reuse as `Cache-Control` allows); the
 * gateway runs the manifest's text for that hash. The manifest holds each document as Apollo Client
 * sends it — after its cache's transform (which adds `__typename`), printed — since the hash is of that
 * text ({@link manifestEntry}; Apollo's `@apollo/generate-persisted-query-manifest` does the same for a whole app).
 */
import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { print } from '@apollo/client/utilities';
import type { DocumentNode } from 'graphql';
import typePolicies from '../../schema.type-policies.json';

/** The hex sha256 of a text, with the Web Crypto API (browsers and Node alike). */
export async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

const newCache = () => new InMemoryCache({ typePolicies });

/** A document's entry in the gateway's manifest (TRUSTED_DOCUMENTS_FILE): its hash and its text as the client sends it. */
export async function manifestEntry(document: DocumentNode): Promise<[string, string]> {
  const text = print(newCache().transformDocument(document));
  return [await sha256(text), text];
}

export function createTrustedClient(uri: string, headers: Record<string, string>, fetchFunction: typeof fetch = fetch): ApolloClient {
  const byHash = new PersistedQueryLink({ sha256, useGETForHashedQueries: true });
  return new ApolloClient({
    link: byHash.concat(new HttpLink({ uri, headers, fetch: fetchFunction })),
    cache: newCache(),
  });
}
