/**
 * The reference list of Japan's 1,741 municipalities (市区町村) with population as of 2025-01-01.
 * The data file and its provenance are beside this module (README.md); every service may use the
 * list, e.g. to reject a code that is well-formed but names no municipality.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { projectPath } from '../paths';

/** The `kind` column as written in the data file. */
export type MunicipalityKindLabel = '政令指定都市' | '中核市' | '特別区' | '市' | '町' | '村';

export interface MunicipalityReference {
  code: string;
  prefectureCode: string;
  name: string;
  kana: string;
  kind: MunicipalityKindLabel;
  population: number;
  populationAsOf: string;
  populationSource: string;
}

export const MUNICIPALITIES_CSV = projectPath('shared', 'reference', 'municipalities-population.csv');

let cached: { rows: MunicipalityReference[]; checksum: string } | undefined;

function load(): { rows: MunicipalityReference[]; checksum: string } {
  if (cached) return cached;
  const text = readFileSync(MUNICIPALITIES_CSV, 'utf8');
  const records: Record<string, string>[] = parse(text, { columns: true, skip_empty_lines: true });
  const rows = records.map((r) => ({
    code: r.code,
    prefectureCode: r.prefecture_code,
    name: r.name,
    kana: r.kana,
    kind: r.kind as MunicipalityKindLabel,
    population: Number(r.population),
    populationAsOf: r.population_as_of,
    populationSource: r.source,
  }));
  cached = { rows, checksum: createHash('sha256').update(text).digest('hex') };
  return cached;
}

export function municipalityReferences(): readonly MunicipalityReference[] {
  return load().rows;
}

/** SHA-256 of the data file, so an import can tell whether it has already loaded this version. */
export function municipalityReferenceChecksum(): string {
  return load().checksum;
}

let codes: Set<string> | undefined;
/** True when `code` names one of the 1,741 municipalities (does not check the format). */
export function isKnownMunicipalityCode(code: string): boolean {
  codes ??= new Set(load().rows.map((r) => r.code));
  return codes.has(code);
}
