/**
 * A large, invented dispatch log for load tests: `years` years of visits in all 47 prefectures
 * (by default 10 × 47 with about 500,000 visits), in proportion to each prefecture's number of
 * municipalities, smaller municipalities visited more often, as in the sample. Deterministic for a
 * given seed; every row is marked sample and its external id starts with `L-`.
 */
import { uuidFromKey } from '../../../shared/ids';
import { SeededRandom } from '../../../shared/random';
import { PREFECTURES } from '../../../shared/reference/prefectures';
import { municipalityReferences } from '../../../shared/reference/municipalities';
import type { DispatchStore, StoredAdvisor, StoredVisit } from '../data/dispatch.store';
import { VisitFormat, VisitPurpose, VisitStatus } from '../rules';

export interface LargeLogOptions {
  visits: number;
  years: number;
  /** The last day of the log. */
  until: string;
  seed?: number;
}

const PURPOSES = Object.values(VisitPurpose);
const FORMATS = [VisitFormat.ON_SITE, VisitFormat.ON_SITE, VisitFormat.ONLINE, VisitFormat.TRAINING];
const DAY = 86_400_000;

/** Writes the log through the store, `chunk` visits per statement batch; returns the number written. */
export async function writeLargeLog(store: DispatchStore, options: LargeLogOptions, chunk = 10_000): Promise<number> {
  const rng = new SeededRandom(options.seed ?? 20260101);
  const all = municipalityReferences();
  const until = Date.parse(`${options.until}T00:00:00Z`);
  const span = Math.round(options.years * 365.25);
  const advisors: StoredAdvisor[] = PREFECTURES.map((p) => ({
    id: uuidFromKey(`large-advisor:${p.code}`),
    externalId: `L-ADV-${p.code}`,
    prefectureCode: p.code,
    name: `負荷試験 ${p.name}`,
    affiliation: '負荷試験用（架空）',
    qualifications: ['相談支援専門員'],
    subject: `large-advisor-${p.code}`,
    activeFrom: new Date(until - span * DAY).toISOString().slice(0, 10),
    activeUntil: null,
    sample: true,
    version: 1,
  }));
  await store.saveAdvisors(advisors);
  // Each visit picks a municipality, weighted 3:2:1 by size as in the sample; the prefecture follows.
  const weighted = all.flatMap((m) => Array<typeof m>(m.population < 10_000 ? 3 : m.population < 50_000 ? 2 : 1).fill(m));
  let written = 0;
  while (written < options.visits) {
    const batch: StoredVisit[] = [];
    for (let i = 0; i < chunk && written + i < options.visits; i += 1) {
      const n = written + i;
      const municipality = weighted[rng.int(0, weighted.length - 1)];
      const purpose = PURPOSES[rng.int(0, PURPOSES.length - 1)];
      batch.push({
        id: uuidFromKey(`large-visit:${n}`),
        externalId: `L-VIS-${n}`,
        prefectureCode: municipality.prefectureCode,
        visitedOn: new Date(until - rng.int(0, span - 1) * DAY).toISOString().slice(0, 10),
        advisorIds: [uuidFromKey(`large-advisor:${municipality.prefectureCode}`)],
        municipalityCodes: [municipality.code],
        format: FORMATS[rng.int(0, FORMATS.length - 1)],
        purposes: [purpose],
        topics: [],
        summary: `${municipality.name}への訪問（負荷試験用の架空データ）`,
        issuesFound: '',
        attendees: [{ role: '市町村障害福祉担当', count: 1 }],
        notes: null,
        status: VisitStatus.ACTIVE,
        cancelReason: null,
        sample: true,
        createdBy: 'large-log',
        createdAt: '',
        updatedBy: 'large-log',
        updatedAt: '',
        version: 1,
      });
    }
    await store.insertVisits(batch);
    written += batch.length;
  }
  return written;
}
