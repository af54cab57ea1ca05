/** SQL of API keys: the stored hash never leaves this file except to be compared. */
import type { DataSource, EntityManager } from 'typeorm';

export interface StoredApiKey {
  id: string;
  name: string;
  role: 'ANALYST' | 'PREFECTURE_STAFF';
  prefectureCode: string | null;
  allowedOperations: string[] | null;
  createdAt: string;
  createdBy: string;
  expiresOn: string;
  revokedAt: string | null;
  revokedBy: string | null;
  lastUsedAt: string | null;
  version: number;
}

const iso = (value: Date | null) => (value === null ? null : value.toISOString());
const toApiKey = (r: any): StoredApiKey => ({
  id: r.id,
  name: r.name,
  role: r.role,
  prefectureCode: r.prefecture_code,
  allowedOperations: r.allowed_operations,
  createdAt: iso(r.created_at)!,
  createdBy: r.created_by,
  expiresOn: r.expires_on,
  revokedAt: iso(r.revoked_at),
  revokedBy: r.revoked_by,
  lastUsedAt: iso(r.last_used_at),
  version: r.version,
});
const COLUMNS = 'id, name, role, prefecture_code, allowed_operations, created_at, created_by, expires_on, revoked_at, revoked_by, last_used_at, version';

export class ApiKeyStore {
  constructor(private readonly db: DataSource | EntityManager) {}

  async insert(key: Omit<StoredApiKey, 'createdAt' | 'revokedAt' | 'revokedBy' | 'lastUsedAt' | 'version'>, salt: Buffer, hash: Buffer): Promise<void> {
    await this.db.query(
      `INSERT INTO api_key (id, name, role, prefecture_code, allowed_operations, salt, hash, created_by, expires_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [key.id, key.name, key.role, key.prefectureCode, key.allowedOperations, salt, hash, key.createdBy, key.expiresOn],
    );
  }

  async byId(id: string): Promise<StoredApiKey | null> {
    const [row] = await this.db.query(`SELECT ${COLUMNS} FROM api_key WHERE id = $1`, [id]);
    return row ? toApiKey(row) : null;
  }

  async lock(id: string): Promise<StoredApiKey | null> {
    const [row] = await this.db.query(`SELECT ${COLUMNS} FROM api_key WHERE id = $1 FOR UPDATE`, [id]);
    return row ? toApiKey(row) : null;
  }

  /** The keys of some prefectures (null: all keys, national ones included), newest first. */
  async list(prefectures: string[] | null): Promise<StoredApiKey[]> {
    const rows = await this.db.query(
      `SELECT ${COLUMNS} FROM api_key WHERE $1::char(2)[] IS NULL OR prefecture_code = ANY($1::char(2)[]) ORDER BY created_at DESC, id`,
      [prefectures],
    );
    return rows.map(toApiKey);
  }

  async revoke(id: string, actor: string): Promise<void> {
    await this.db.query('UPDATE api_key SET revoked_at = now(), revoked_by = $2, version = version + 1 WHERE id = $1', [id, actor]);
  }

  /** What a presented key is checked against: the record and its salt and hash. */
  async credentials(id: string): Promise<{ key: StoredApiKey; salt: Buffer; hash: Buffer } | null> {
    const [row] = await this.db.query(`SELECT ${COLUMNS}, salt, hash FROM api_key WHERE id = $1`, [id]);
    return row ? { key: toApiKey(row), salt: row.salt, hash: row.hash } : null;
  }

  /** Records a use; at most once a minute per key, so a busy refresh does not write on every request. */
  async touch(id: string): Promise<void> {
    await this.db.query(`UPDATE api_key SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`, [id]);
  }
}
