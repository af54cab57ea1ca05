/**
 * Japanese for people: every error the gateway sends carries `extensions.messageJa` (the error's own,
 * from shared/errors.ts, or one by its code), and with `Accept-Language: ja` the message itself is the
 * Japanese one. Codes, arguments and values stay as they are, so clients branch on them either way.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { fallbackMessageJa, prefersJapanese } from '../shared/errors';
import type { GatewayContext } from './context';

export function languagePlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ request }) {
      const japanese = prefersJapanese(request.http?.headers.get('accept-language'));
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          response.body.singleResult.errors = response.body.singleResult.errors.map((error) => {
            const extensions = error.extensions ?? {};
            const messageJa = typeof extensions.messageJa === 'string' ? extensions.messageJa : fallbackMessageJa(extensions.code, extensions);
            return { ...error, message: japanese ? messageJa : error.message, extensions: { ...extensions, messageJa } };
          });
        },
      };
    },
  };
}
