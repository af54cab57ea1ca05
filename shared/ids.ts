import { createHash } from 'node:crypto';

/**
 * A stable UUID derived from a key (e.g. an imported record's id): the same key gives the same id
 * on every machine, so imported and sample records keep their ids across reloads.
 */
export function uuidFromKey(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  // Version 8 (custom) and RFC 4122 variant bits, so it is a well-formed UUID.
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
