/**
 * graphql-request: a small client without a cache, for scripts and server-side jobs. Errors arrive as a
 * ClientError whose response holds the API's `extensions.code` (BAD_USER_INPUT, FORBIDDEN, …), its
 * `argument` and the reason in English and Japanese.
 */
import { ClientError, GraphQLClient, gql } from 'graphql-request';

const HEADLINE_GAPS = gql`
  query HeadlineGapsForScript($prefecture: ID!) {
    prefecture(code: $prefecture) {
      name
      coreCenterGaps(populationBelow: 10000) {
        code
        name
        population
        lastVisit {
          date
        }
      }
    }
  }
`;

export interface HeadlineGaps {
  prefecture: { name: string; coreCenterGaps: Array<{ code: string; name: string; population: number; lastVisit: { date: string } | null }> } | null;
}

export function headlineGaps(url: string, headers: Record<string, string>, prefecture: string): Promise<HeadlineGaps> {
  return new GraphQLClient(url, { headers }).request<HeadlineGaps>(HEADLINE_GAPS, { prefecture });
}

/** The code and Japanese message of a refused request, e.g. a malformed prefecture code. */
export async function refusal(url: string, headers: Record<string, string>, prefecture: string): Promise<{ code: unknown; messageJa: unknown } | null> {
  try {
    await headlineGaps(url, headers, prefecture);
    return null;
  } catch (error) {
    if (!(error instanceof ClientError)) throw error;
    const [first] = error.response.errors ?? [];
    return { code: first?.extensions?.code, messageJa: first?.extensions?.messageJa };
  }
}
