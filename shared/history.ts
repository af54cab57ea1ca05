/**
 * The append-only change history every writing subgraph keeps: who changed which record how, and
 * when, with the record before and after, written in the same transaction as the change.
 */
import type { EntityManager } from 'typeorm';
import type { Viewer } from './context';

/** The actor recorded for a viewer: the token subject with the role, e.g. `ADVISOR:u123`. */
export function actorOf(viewer: Viewer): string {
  return viewer.subject ? `${viewer.role}:${viewer.subject}` : 'anonymous';
}

/** The role and token subject an actor (actorOf) names; null for `anonymous`. */
export function actorParts(actor: string): { role: string; subject: string } | null {
  const at = actor.indexOf(':');
  return at > 0 ? { role: actor.slice(0, at), subject: actor.slice(at + 1) } : null;
}

export async function recordHistory(
  manager: EntityManager,
  entry: { entity: string; entityId: string; action: string; actor: string; before: unknown; after: unknown; importId?: string },
): Promise<void> {
  await manager.query('INSERT INTO history (entity, entity_id, action, actor, before, after, import_id) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
    entry.entity,
    entry.entityId,
    entry.action,
    entry.actor,
    entry.before === null ? null : JSON.stringify(entry.before),
    entry.after === null ? null : JSON.stringify(entry.after),
    entry.importId ?? null,
  ]);
}

/**
 * A history entry's side (any JSON value: a record, a request, an import's row) with every text at one of `keys`,
 * however deep, that is not among `held` (trimmed: what the records hold now) as null — what an erasure of earlier
 * texts leaves; the same value when it holds none.
 */
export function withoutTextsNotHeld(side: unknown, keys: readonly string[], held: ReadonlySet<string>): unknown {
  if (Array.isArray(side)) {
    const items = side.map((item) => withoutTextsNotHeld(item, keys, held));
    return items.every((item, i) => item === side[i]) ? side : items;
  }
  if (side === null || typeof side !== 'object') return side;
  let changed = false;
  const entries = Object.entries(side).map(([key, value]) => {
    const next = keys.includes(key) && typeof value === 'string' ? (held.has(value.trim()) ? value : null) : withoutTextsNotHeld(value, keys, held);
    if (next !== value) changed = true;
    return [key, next] as const;
  });
  return changed ? Object.fromEntries(entries) : side;
}
