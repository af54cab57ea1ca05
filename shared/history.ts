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
function withoutTextsNotHeld(side: unknown, keys: readonly string[], held: ReadonlySet<string>): unknown {
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

/** What an erasure of earlier texts changes in the history: each entry rewritten, and the imports whose rows held such texts. */
export interface HistoryRedaction {
  /** Parameters for `unnest($ids::bigint[], $befores::jsonb[], $afters::jsonb[])`. */
  ids: string[];
  befores: Array<string | null>;
  afters: Array<string | null>;
  /** Imports whose rows held them: no longer revertible (an `erasure` entry in their history). */
  imports: string[];
}

/**
 * The history entries of `entityIds` (whatever the entity: a change, an import's row) as an erasure of earlier texts
 * leaves them: every text at one of `keys` that the records no longer hold (`held`) as null (withoutTextsNotHeld).
 * One statement, reading; the caller writes them back in its own.
 */
export async function historyWithoutTextsNotHeld(
  manager: Pick<EntityManager, 'query'>,
  entityIds: readonly string[],
  keys: readonly string[],
  held: ReadonlySet<string>,
): Promise<HistoryRedaction> {
  const entries: Array<{ id: string; import_id: string | null; before: unknown; after: unknown }> = await manager.query(
    'SELECT id, import_id, before, after FROM history WHERE entity_id = ANY($1::uuid[]) ORDER BY id',
    [entityIds],
  );
  const redaction: HistoryRedaction = { ids: [], befores: [], afters: [], imports: [] };
  for (const entry of entries) {
    const [before, after] = [entry.before, entry.after].map((side) => withoutTextsNotHeld(side, keys, held));
    if (before === entry.before && after === entry.after) continue;
    redaction.ids.push(entry.id);
    redaction.befores.push(before === null ? null : JSON.stringify(before));
    redaction.afters.push(after === null ? null : JSON.stringify(after));
    if (entry.import_id && !redaction.imports.includes(entry.import_id)) redaction.imports.push(entry.import_id);
  }
  return redaction;
}
