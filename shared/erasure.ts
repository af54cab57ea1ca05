/** What every record of an erasure of personal texts says (要配慮個人情報の消去), in whichever subgraph it was made. */
import { Field, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from './scalars';

/** The fields of a record of an erasure: who, when, why, and how many history entries held what was erased (not a schema type). */
@ObjectType()
export abstract class ErasureRecord {
  @Field(() => String, { description: 'Who erased them: role and token subject, e.g. PREFECTURE_STAFF:u123.' })
  erasedBy!: string;

  @Field(() => DateTimeScalar, { description: 'When they were erased.' })
  erasedAt!: string;

  @Field(() => String, { description: 'Why (消去の理由), as given, e.g. the request it answers.' })
  reason!: string;

  @Field(() => Int, { description: 'How many entries of the change history held what was erased and no longer do (履歴から消した件数).' })
  historyEntries!: number;
}

/** An erasure's record as the stores keep it: ErasureRecord's fields, whichever table holds them. */
export interface StoredErasureRecord {
  erasedBy: string;
  erasedAt: string;
  reason: string;
  historyEntries: number;
}

/** The common columns of an erasure's row (`erased_by`, `erased_at`, `reason`, `history_entries`), as ErasureRecord has them. */
export function erasureRecordOf(row: { erased_by: string; erased_at: string | Date; reason: string; history_entries: number }): StoredErasureRecord {
  return { erasedBy: row.erased_by, erasedAt: new Date(row.erased_at).toISOString(), reason: row.reason, historyEntries: row.history_entries };
}
