import type { FastifyInstance } from 'fastify';
import { badRequest } from './errors.ts';

/** No body the API takes is deeper than a few levels; this leaves room and stops stack-deep walks. */
export const MAX_JSON_DEPTH = 32;

/**
 * How deeply a JSON text nests, found in one pass without parsing, so a hostile body nested
 * 100,000 deep is refused before anything (the parser, ajv, our own walks) recurses into it.
 * Stops counting once past `limit`.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** Fastify's own JSON parser (prototype-poisoning checks included), behind the depth bound. */
export function boundJsonDepth(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (jsonDepthExceeds(body as string, MAX_JSON_DEPTH)) {
      done(
        badRequest(
          'body_too_deep',
          `The request body is nested deeper than ${MAX_JSON_DEPTH} levels`,
          undefined,
          {
            limit: MAX_JSON_DEPTH,
          },
        ),
        undefined,
      );
      return;
    }
    parse(request, body as string, done);
  });
}
