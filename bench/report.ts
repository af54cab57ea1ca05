/** The benchmark's report: a table per workload and concurrency, the ratios, the targets, a chart. */

export interface Cell {
  target: string;
  workload: string;
  concurrency: number;
  /** `sample` (the shipped sample data) or `large` (plus the large dispatch log). */
  data: string;
  rounds: number;
  /** Medians over the rounds. */
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  firstError?: string;
  /** The gateway process's peak resident memory during its runs (none for the floor). */
  peakRssMb?: number;
  /** Requests the subgraphs answered per operation (fewer when identical calls are shared). */
  subgraphCallsPerOperation: number;
}

export interface BenchReport {
  date: string;
  machine: { cpu: string; cores: number; memoryGb: number; node: string; postgres: string };
  settings: Record<string, unknown>;
  cells: Cell[];
  /** `target/workload` → why that peer was not measured on that workload. */
  excluded: Record<string, string>;
  /** Per workload, the subgraph calls our gateway makes, in waves, with their time unloaded. */
  subgraphCalls: Record<string, string[]>;
  minutes: number;
}

const TITLES: Record<string, string> = {
  a: '(a) headline gaps of one prefecture, with visits',
  b: '(b) advisor worklist of one prefecture',
  c: '(c) national coverage statistics',
  d: '(d) one municipality across four subgraphs',
  e: '(e) recordVisit writes',
};
const PEERS = ['hive', 'hive-rust'];

const find = (cells: Cell[], target: string, workload: string, concurrency: number, data = 'sample') =>
  cells.find((c) => c.target === target && c.workload === workload && c.concurrency === concurrency && c.data === data);
const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b ? a / b : NaN);
const x = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : '—');

export interface TargetCheck {
  name: string;
  reached: boolean;
  detail: string;
}

/** The issue's targets, checked on the medians of this run. */
export function checkTargets(report: BenchReport): TargetCheck[] {
  const { cells } = report;
  const checks: TargetCheck[] = [];
  const top = Math.max(...cells.map((c) => c.concurrency));
  for (const workload of ['a', 'b', 'c', 'd']) {
    const ours = find(cells, 'ours', workload, top);
    const rust = find(cells, 'hive-rust', workload, top);
    if (ours && rust) {
      const throughput = ratio(ours.requestsPerSecond, rust.requestsPerSecond);
      const p95 = ratio(ours.p95, rust.p95);
      checks.push({
        name: `(${workload}) c=${top}: throughput ≥ 1.0 × Hive (Rust planner) at equal or lower p95`,
        reached: throughput >= 1 && p95 <= 1,
        detail: `throughput ${x(throughput)}, p95 ${x(p95)}`,
      });
    }
  }
  for (const workload of ['a', 'd']) {
    for (const concurrency of [...new Set(cells.map((c) => c.concurrency))]) {
      const ours = find(cells, 'ours', workload, concurrency);
      const floor = find(cells, 'floor', workload, concurrency);
      if (ours && floor) {
        const p95 = ratio(ours.p95, floor.p95);
        checks.push({
          name: `(${workload}) c=${concurrency}: p95 ≤ 1.3 × floor`,
          reached: p95 <= 1.3,
          detail: `p95 ${x(p95)} (${ours.p95.toFixed(1)} vs ${floor.p95.toFixed(1)} ms)`,
        });
      }
    }
  }
  for (const workload of ['a', 'b']) {
    for (const concurrency of [...new Set(cells.map((c) => c.concurrency))]) {
      const sample = find(cells, 'ours', workload, concurrency);
      const large = find(cells, 'ours', workload, concurrency, 'large');
      if (sample && large) {
        const p95 = ratio(large.p95, sample.p95);
        checks.push({
          name: `(${workload}) c=${concurrency}: large-log p95 ≤ 1.5 × sample`,
          reached: p95 <= 1.5,
          detail: `p95 ${x(p95)} (${large.p95.toFixed(1)} vs ${sample.p95.toFixed(1)} ms)`,
        });
      }
    }
  }
  const errors = cells.reduce((sum, c) => sum + c.errors, 0);
  checks.push({ name: 'no errors', reached: errors === 0, detail: `${errors} errors` });
  return checks;
}

/** Who the requests came from: it decides how much our gateway can share (only within a viewer). */
function viewersLine(report: BenchReport): string {
  const viewers = Number(report.settings.viewers ?? 1);
  return (
    `Requests from ${viewers === 1 ? 'one viewer (an admin token)' : `${viewers} viewers (admin tokens) in turn`}; ` +
    "every gateway sends the subgraphs the caller's viewer, so identical subgraph calls can be shared only within a viewer."
  );
}

export function printReport(report: BenchReport): void {
  const { cells, machine } = report;
  console.log(
    `\nBenchmark ${report.date} — ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node}, PostgreSQL ${machine.postgres}`,
  );
  console.log(
    `Medians of ${report.settings.rounds} rounds of ${Number(report.settings.durationMs) / 1000} s; latencies in ms; ${report.minutes} minutes in all.`,
  );
  console.log(`${viewersLine(report)}`);
  for (const data of ['sample', 'large']) {
    for (const workload of Object.keys(TITLES)) {
      for (const concurrency of [...new Set(cells.map((c) => c.concurrency))]) {
        const rows = cells.filter((c) => c.workload === workload && c.concurrency === concurrency && c.data === data);
        if (rows.length === 0) continue;
        console.log(`\n${TITLES[workload]} — concurrency ${concurrency}${data === 'large' ? ' — LARGE dispatch log' : ''}`);
        console.log('  target        req/s      p50      p95      p99   errors  peak RSS  subgraph calls/op');
        for (const c of rows) {
          console.log(
            `  ${c.target.padEnd(10)} ${c.requestsPerSecond.toFixed(1).padStart(8)} ${c.p50.toFixed(1).padStart(8)} ${c.p95.toFixed(1).padStart(8)} ${c.p99.toFixed(1).padStart(8)} ${String(c.errors).padStart(8)} ${c.peakRssMb !== undefined ? `${c.peakRssMb} MB`.padStart(9) : '        —'} ${c.subgraphCallsPerOperation.toFixed(2).padStart(18)}`,
          );
        }
        const ours = rows.find((c) => c.target === 'ours');
        const parts: string[] = [];
        for (const peer of [...PEERS, 'floor']) {
          const other = rows.find((c) => c.target === peer);
          if (ours && other)
            parts.push(`ours ÷ ${peer}: req/s ${x(ratio(ours.requestsPerSecond, other.requestsPerSecond))}, p95 ${x(ratio(ours.p95, other.p95))}`);
        }
        if (data === 'large' && ours) {
          const sample = find(cells, 'ours', workload, concurrency);
          parts.push(`large ÷ sample (ours): req/s ${x(ratio(ours.requestsPerSecond, sample?.requestsPerSecond))}, p95 ${x(ratio(ours.p95, sample?.p95))}`);
        }
        for (const part of parts) console.log(`  ${part}`);
      }
    }
  }
  for (const [key, why] of Object.entries(report.excluded)) console.log(`\nNot measured: ${key.replace('/', ' on (')}): ${why}`);
  console.log('\nTargets:');
  for (const check of checkTargets(report)) console.log(`  ${check.reached ? 'reached    ' : 'NOT reached'}  ${check.name}: ${check.detail}`);
}

/** Two bar charts (requests/s and p95 at the highest concurrency, sample data), as SVG. */
export function writeChart(report: BenchReport): string {
  const top = Math.max(...report.cells.map((c) => c.concurrency));
  const workloads = Object.keys(TITLES).filter((w) => report.cells.some((c) => c.workload === w && c.data === 'sample'));
  const targets = [...new Set(report.cells.filter((c) => c.data === 'sample').map((c) => c.target))];
  const colors: Record<string, string> = { ours: '#d6336c', hive: '#1c7ed6', 'hive-rust': '#0ca678', floor: '#868e96' };
  const width = 900;
  const panel = 260;
  const bar = 22;
  const group = targets.length * bar + 30;
  const svg: string[] = [];
  const drawPanel = (title: string, y0: number, value: (c: Cell) => number, unit: string) => {
    const values = report.cells.filter((c) => c.data === 'sample' && c.concurrency === top).map(value);
    const max = Math.max(...values, 1);
    svg.push(`<text x="20" y="${y0 + 20}" font-size="15" font-weight="bold">${title}</text>`);
    workloads.forEach((w, i) => {
      const gx = 60 + i * (group + 20);
      targets.forEach((t, j) => {
        const cell = report.cells.find((c) => c.target === t && c.workload === w && c.concurrency === top && c.data === 'sample');
        if (!cell) return;
        const h = Math.round((value(cell) / max) * (panel - 80));
        const bx = gx + j * bar;
        const by = y0 + panel - 30 - h;
        svg.push(
          `<rect x="${bx}" y="${by}" width="${bar - 4}" height="${h}" fill="${colors[t] ?? '#555'}"><title>${t} ${w}: ${value(cell).toFixed(1)} ${unit}</title></rect>`,
        );
        svg.push(`<text x="${bx + (bar - 4) / 2}" y="${by - 4}" font-size="9" text-anchor="middle">${Math.round(value(cell))}</text>`);
      });
      svg.push(`<text x="${gx + (targets.length * bar) / 2}" y="${y0 + panel - 12}" font-size="12" text-anchor="middle">(${w})</text>`);
    });
  };
  drawPanel(`Requests per second, concurrency ${top} (higher is better)`, 10, (c) => c.requestsPerSecond, 'req/s');
  drawPanel(`p95 latency in ms, concurrency ${top} (lower is better)`, panel + 10, (c) => c.p95, 'ms');
  targets.forEach((t, i) => {
    svg.push(
      `<rect x="${60 + i * 130}" y="${2 * panel + 20}" width="14" height="14" fill="${colors[t] ?? '#555'}"/><text x="${80 + i * 130}" y="${2 * panel + 32}" font-size="12">${t}</text>`,
    );
  });
  const m = report.machine;
  svg.push(
    `<text x="20" y="${2 * panel + 58}" font-size="11" fill="#555">${report.date.slice(0, 10)} · ${m.cpu}, ${m.cores} cores · Node ${m.node} · PostgreSQL ${m.postgres}</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${2 * panel + 70}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${svg.join('\n')}\n</svg>\n`;
}

/** The results as Markdown tables (for the README): every workload at each concurrency, then the targets. */
export function writeMarkdown(report: BenchReport): string {
  const { cells, machine } = report;
  const lines: string[] = [
    `Latest run: ${report.date.slice(0, 10)}, ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node}, PostgreSQL ${machine.postgres}, everything on one machine; medians of ${report.settings.rounds} rounds of ${Number(report.settings.durationMs) / 1000} s. ${viewersLine(report)}`,
    '',
    '| workload | conc. | ours req/s | Hive req/s | Hive (Rust) req/s | floor req/s | ours p95 ms | Hive p95 | Hive (Rust) p95 | floor p95 | ours ÷ Hive (Rust): req/s, p95 | peak RSS ours / Hive / Hive (Rust) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const num = (c: Cell | undefined, f: (c: Cell) => number, digits = 0) => (c ? f(c).toFixed(digits) : '—');
  for (const data of ['sample', 'large']) {
    for (const workload of Object.keys(TITLES)) {
      for (const concurrency of [...new Set(cells.map((c) => c.concurrency))]) {
        const at = (t: string) => find(cells, t, workload, concurrency, data);
        const ours = at('ours');
        if (!ours) continue;
        const rust = at('hive-rust');
        const label = `${TITLES[workload].replace(/^\(\w\) /, `(${workload}) `)}${data === 'large' ? ', **500,000-visit log**' : ''}`;
        lines.push(
          `| ${label} | ${concurrency} | ${num(ours, (c) => c.requestsPerSecond)} | ${num(at('hive'), (c) => c.requestsPerSecond)} | ${num(rust, (c) => c.requestsPerSecond)} | ${num(at('floor'), (c) => c.requestsPerSecond)} | ${num(ours, (c) => c.p95)} | ${num(at('hive'), (c) => c.p95)} | ${num(rust, (c) => c.p95)} | ${num(at('floor'), (c) => c.p95)} | ${rust ? `${x(ratio(ours.requestsPerSecond, rust.requestsPerSecond))}, ${x(ratio(ours.p95, rust.p95))}` : '—'} | ${[ours, at('hive'), rust].map((c) => (c?.peakRssMb !== undefined ? `${c.peakRssMb}` : '—')).join(' / ')} MB |`,
        );
      }
    }
  }
  lines.push('', 'Targets (from the issue, on this run):', '');
  for (const check of checkTargets(report)) lines.push(`- ${check.reached ? 'reached' : '**not reached**'}: ${check.name} — ${check.detail}`);
  for (const [key, why] of Object.entries(report.excluded)) lines.push(`- not measured: ${key.replace('/', ' on (')}) — ${why.slice(0, 160)}`);
  return `${lines.join('\n')}\n`;
}
