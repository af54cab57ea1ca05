/** The benchmark's report: a table per workload and concurrency, the ratios, the targets, a chart. */

export interface CpuPerOperation {
  /** The gateway process's CPU ms per operation (null for the floor, which has none). */
  gateway: number | null;
  /** Each subgraph process's CPU ms per operation. */
  subgraphs: Record<string, number>;
  subgraphsTotal: number;
}

export interface Cell {
  target: string;
  workload: string;
  /** `many` (50 viewers), `mixed-<writes a second>` (the same, with writes beside), `one` (one viewer) or `cold` (national reads nothing kept can answer). */
  scenario: string;
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
  /** Requests the subgraphs answered per operation (fewer when identical calls are shared or answers kept). */
  subgraphCallsPerOperation: number;
  /** SQL statements the subgraphs sent per operation. */
  statementsPerOperation: number;
  /** Data-version questions the subgraphs answered per operation (our gateway asks them before using a kept answer). */
  versionQuestionsPerOperation?: number;
  /** The mixed scenario: writes done per second beside the reads (their CPU is in the reads' CPU per request). */
  writesPerSecond?: number;
  cpuMsPerOperation: CpuPerOperation;
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
  n: '(n) cold: the national worklist',
  s: '(s) cold: coverage statistics at a new date',
  x: '(x) cold: the municipality-status export',
};
const SCENARIOS: Record<string, string> = {
  many: 'many viewers',
  one: 'one viewer',
  cold: 'cold national reads',
};
/** The name of the many-viewer scenario with `rate` writes a second beside the reads. */
export const withWrites = (rate: number) => `mixed-${rate}`;
/** The writes a second of a scenario named by `withWrites`; undefined for any other scenario. */
const writesOf = (scenario: string) => (scenario.startsWith('mixed-') ? Number(scenario.slice('mixed-'.length)) : undefined);
/** The scenarios of a run in the report's order: many viewers, then with writes (fewest first), one viewer, cold. */
const scenariosOf = (cells: Cell[]) => {
  const mixed = [...new Set(cells.map((c) => c.scenario).filter((s) => writesOf(s) !== undefined))].sort((a, b) => writesOf(a)! - writesOf(b)!);
  return ['many', ...mixed, 'one', 'cold'];
};
const scenarioLabel = (scenario: string) => {
  const writes = writesOf(scenario);
  return writes !== undefined ? `many viewers, ${writes} writes/s` : (SCENARIOS[scenario] ?? scenario);
};
const PEERS = ['grafbase', 'hive', 'hive-rust'];
const NAMES: Record<string, string> = {
  ours: 'ours',
  'ours-uncached': 'ours, nothing kept',
  grafbase: 'Grafbase',
  hive: 'Hive',
  'hive-rust': 'Hive (Rust)',
  floor: 'floor',
  'bare-node': 'bare Node',
};

const find = (cells: Cell[], target: string, workload: string, scenario: string, concurrency: number, data = 'sample') =>
  cells.find((c) => c.target === target && c.workload === workload && c.scenario === scenario && c.concurrency === concurrency && c.data === data);
const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b ? a / b : NaN);
const x = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : '—');
const concurrenciesOf = (cells: Cell[], scenario: string) => [...new Set(cells.filter((c) => c.scenario === scenario).map((c) => c.concurrency))];
/** The gateway's CPU per operation over the subgraphs' (its overhead over the work itself); none for `bare-node`, which calls no subgraph. */
const gatewayShare = (c: Cell) =>
  c.cpuMsPerOperation.gateway === null || c.target === 'bare-node' ? NaN : ratio(c.cpuMsPerOperation.gateway, c.cpuMsPerOperation.subgraphsTotal);

export interface TargetCheck {
  name: string;
  reached: boolean;
  detail: string;
}

/** The issue's targets, checked on the medians of this run. */
export function checkTargets(report: BenchReport): TargetCheck[] {
  const { cells } = report;
  const checks: TargetCheck[] = [];
  const top = Math.max(...cells.filter((c) => c.scenario === 'many').map((c) => c.concurrency));
  for (const workload of ['a', 'b', 'c', 'd']) {
    const ours = find(cells, 'ours', workload, 'many', top);
    if (!ours) continue;
    for (const [peer, least] of [
      ['grafbase', 1.0],
      ['hive-rust', 1.5],
    ] as const) {
      const other = find(cells, peer, workload, 'many', top);
      if (!other) continue;
      const throughput = ratio(ours.requestsPerSecond, other.requestsPerSecond);
      const p95 = ratio(ours.p95, other.p95);
      checks.push({
        name: `many viewers (${workload}) c=${top}: throughput ≥ ${least.toFixed(1)} × ${NAMES[peer]} at equal or lower p95`,
        reached: throughput >= least && p95 <= 1,
        detail: `throughput ${x(throughput)}, p95 ${x(p95)}`,
      });
    }
  }
  for (const workload of ['n', 's', 'x']) {
    for (const concurrency of concurrenciesOf(cells, 'cold')) {
      const ours = find(cells, 'ours', workload, 'cold', concurrency);
      const floor = find(cells, 'floor', workload, 'cold', concurrency);
      if (!ours || !floor) continue;
      const p95 = ratio(ours.p95, floor.p95);
      checks.push({
        name: `cold (${workload}) c=${concurrency}: p95 ≤ 1.3 × floor`,
        reached: p95 <= 1.3,
        detail: `p95 ${x(p95)} (${ours.p95.toFixed(1)} vs ${floor.p95.toFixed(1)} ms)`,
      });
    }
  }
  for (const workload of ['a', 'b', 'd']) {
    const ours = find(cells, 'ours', workload, 'many', top);
    if (!ours || ours.cpuMsPerOperation.gateway === null) continue;
    const share = gatewayShare(ours);
    // Beside it, what a bare Node HTTP server spends handing out the same answers (when measured): the
    // part of ours' CPU per kept answer that any Node server pays.
    const bare = find(cells, 'bare-node', workload, 'many', top)?.cpuMsPerOperation.gateway;
    checks.push({
      name: `many viewers (${workload}) c=${top}: gateway CPU per request ≤ 0.5 × the subgraphs'`,
      reached: share <= 0.5,
      detail: `${x(share)} (${ours.cpuMsPerOperation.gateway.toFixed(3)} vs ${ours.cpuMsPerOperation.subgraphsTotal.toFixed(3)} ms${
        typeof bare === 'number'
          ? `; a bare Node server handing out the same answers: ${bare.toFixed(3)} ms, ${x(ratio(bare, ours.cpuMsPerOperation.subgraphsTotal))} the subgraphs'`
          : ''
      })`,
    });
    // The same share for our gateway keeping nothing (when measured): the gateway's overhead where it
    // plans, fetches and merges every answer.
    const uncached = find(cells, 'ours-uncached', workload, 'many', top);
    if (uncached && uncached.cpuMsPerOperation.gateway !== null) {
      const uncachedShare = gatewayShare(uncached);
      checks.push({
        name: `many viewers (${workload}) c=${top}, ours keeping nothing: gateway CPU per request ≤ 0.5 × the subgraphs'`,
        reached: uncachedShare <= 0.5,
        detail: `${x(uncachedShare)} (${uncached.cpuMsPerOperation.gateway.toFixed(3)} vs ${uncached.cpuMsPerOperation.subgraphsTotal.toFixed(3)} ms)`,
      });
    }
    // With answers kept the subgraphs do next to nothing, so the share above says little; beside it, the
    // gateway's CPU over what the subgraphs spend on the same requests when nothing is kept (the floor's).
    const floor = find(cells, 'floor', workload, 'many', top);
    if (floor) {
      const overWork = ratio(ours.cpuMsPerOperation.gateway, floor.cpuMsPerOperation.subgraphsTotal);
      checks.push({
        name: `many viewers (${workload}) c=${top}: gateway CPU per request ≤ 0.5 × the subgraphs' work for it (the floor's CPU)`,
        reached: overWork <= 0.5,
        detail: `${x(overWork)} (${ours.cpuMsPerOperation.gateway.toFixed(3)} vs ${floor.cpuMsPerOperation.subgraphsTotal.toFixed(3)} ms)`,
      });
    }
  }
  // Memory under the many-viewer load, with writes beside it too (answers built again and again).
  const manyRss = cells.filter(
    (c) => c.target === 'ours' && (c.scenario === 'many' || writesOf(c.scenario) !== undefined) && c.data === 'sample' && c.peakRssMb !== undefined,
  );
  if (manyRss.length > 0) {
    const peak = Math.max(...manyRss.map((c) => c.peakRssMb!));
    checks.push({ name: 'many viewers (with writes too): gateway peak RSS ≤ 256 MB', reached: peak <= 256, detail: `${peak} MB` });
  }
  for (const workload of ['a', 'b']) {
    for (const concurrency of concurrenciesOf(cells, 'many')) {
      const sample = find(cells, 'ours', workload, 'many', concurrency);
      const large = find(cells, 'ours', workload, 'many', concurrency, 'large');
      if (!sample || !large) continue;
      const p95 = ratio(large.p95, sample.p95);
      checks.push({
        name: `(${workload}) c=${concurrency}: large-log p95 ≤ 1.3 × sample`,
        reached: p95 <= 1.3,
        detail: `p95 ${x(p95)} (${large.p95.toFixed(1)} vs ${sample.p95.toFixed(1)} ms)`,
      });
    }
  }
  const errors = cells.reduce((sum, c) => sum + c.errors, 0);
  checks.push({ name: 'no errors', reached: errors === 0, detail: `${errors} errors` });
  return checks;
}

/** Who the requests came from, per scenario. */
function viewersLine(report: BenchReport): string {
  const viewers = Number(report.settings.viewers ?? 50);
  return (
    `Many viewers: ${viewers} distinct viewers in turn (advisors and staff of ten prefectures, each asking about their own, and national analysts; ` +
    `reads with free text, which analysts may not read, from ${viewers} people of the prefectures); ` +
    'with writes: the same reads while an admin records visits (recordVisit) at that steady rate in another prefecture — ' +
    "each write moves the dispatch subgraph's data version, so every answer our gateway kept that read dispatch is built again; one viewer: an admin; cold: an admin, " +
    `our gateway asked for fresh answers (Cache-Control: no-cache) and coverage asked at a new date each time. ` +
    "Grafbase runs as its CLI's dev server (grafbase dev) and verifies no token: it is sent the viewer header directly."
  );
}

const cpuText = (c: Cell) => {
  const cpu = c.cpuMsPerOperation;
  return `${cpu.gateway === null ? '—' : cpu.gateway.toFixed(2)} / ${cpu.subgraphsTotal.toFixed(2)}`;
};

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
    for (const scenario of scenariosOf(cells)) {
      for (const workload of Object.keys(TITLES)) {
        for (const concurrency of concurrenciesOf(cells, scenario)) {
          const rows = cells.filter((c) => c.workload === workload && c.scenario === scenario && c.concurrency === concurrency && c.data === data);
          if (rows.length === 0) continue;
          const writes = rows.find((c) => c.writesPerSecond !== undefined)?.writesPerSecond;
          console.log(
            `\n${TITLES[workload]} — ${scenarioLabel(scenario)}${writes !== undefined ? ` (${writes.toFixed(2)} done a second)` : ''}, concurrency ${concurrency}${data === 'large' ? ' — LARGE dispatch log' : ''}`,
          );
          console.log(
            '  target        req/s      p50      p95      p99   errors  peak RSS  calls/op  SQL/op  versions/op  CPU ms/op gateway / subgraphs  gateway ÷ subgraphs',
          );
          for (const c of rows) {
            console.log(
              `  ${c.target.padEnd(10)} ${c.requestsPerSecond.toFixed(1).padStart(8)} ${c.p50.toFixed(1).padStart(8)} ${c.p95.toFixed(1).padStart(8)} ${c.p99.toFixed(1).padStart(8)} ${String(c.errors).padStart(8)} ${c.peakRssMb !== undefined ? `${c.peakRssMb} MB`.padStart(9) : '        —'} ${c.subgraphCallsPerOperation.toFixed(2).padStart(9)} ${c.statementsPerOperation.toFixed(1).padStart(7)} ${(c.versionQuestionsPerOperation?.toFixed(2) ?? '—').padStart(12)}  ${cpuText(c).padStart(30)}  ${x(gatewayShare(c)).padStart(18)}`,
            );
          }
          const ours = rows.find((c) => c.target === 'ours');
          for (const peer of ['ours-uncached', ...PEERS, 'floor', 'bare-node']) {
            const other = rows.find((c) => c.target === peer);
            if (ours && other)
              console.log(`  ours ÷ ${peer}: req/s ${x(ratio(ours.requestsPerSecond, other.requestsPerSecond))}, p95 ${x(ratio(ours.p95, other.p95))}`);
          }
        }
      }
    }
  }
  for (const [key, why] of Object.entries(report.excluded)) console.log(`\nNot measured: ${key.replace('/', ' on (')}): ${why}`);
  console.log('\nTargets:');
  for (const check of checkTargets(report)) console.log(`  ${check.reached ? 'reached    ' : 'NOT reached'}  ${check.name}: ${check.detail}`);
}

/** Two bar charts (requests/s and p95, many viewers at the highest concurrency, sample data), as SVG. */
export function writeChart(report: BenchReport): string {
  const scenario = report.cells.some((c) => c.scenario === 'many') ? 'many' : (report.cells[0]?.scenario ?? 'many');
  const chosen = report.cells.filter((c) => c.scenario === scenario && c.data === 'sample');
  const top = Math.max(...chosen.map((c) => c.concurrency));
  const workloads = Object.keys(TITLES).filter((w) => chosen.some((c) => c.workload === w));
  const targets = [...new Set(chosen.map((c) => c.target))];
  const colors: Record<string, string> = {
    ours: '#d6336c',
    'ours-uncached': '#f783ac',
    grafbase: '#f08c00',
    hive: '#1c7ed6',
    'hive-rust': '#0ca678',
    floor: '#868e96',
    'bare-node': '#adb5bd',
  };
  const width = 900;
  const panel = 260;
  const bar = 22;
  const group = targets.length * bar + 30;
  const svg: string[] = [];
  const drawPanel = (title: string, y0: number, value: (c: Cell) => number, unit: string) => {
    const values = chosen.filter((c) => c.concurrency === top).map(value);
    const max = Math.max(...values, 1);
    svg.push(`<text x="20" y="${y0 + 20}" font-size="15" font-weight="bold">${title}</text>`);
    workloads.forEach((w, i) => {
      const gx = 60 + i * (group + 20);
      targets.forEach((t, j) => {
        const cell = chosen.find((c) => c.target === t && c.workload === w && c.concurrency === top);
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
  drawPanel(`Requests per second, ${scenarioLabel(scenario)}, concurrency ${top} (higher is better)`, 10, (c) => c.requestsPerSecond, 'req/s');
  drawPanel(`p95 latency in ms, ${scenarioLabel(scenario)}, concurrency ${top} (lower is better)`, panel + 10, (c) => c.p95, 'ms');
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

/** The results as Markdown tables (for the README): per scenario every workload, then where the time goes, then the targets. */
export function writeMarkdown(report: BenchReport): string {
  const { cells, machine } = report;
  const measured = (target: string) => (cells.some((c) => c.target === target) ? [target] : []);
  const targets = ['ours', ...measured('ours-uncached'), ...PEERS, 'floor', ...measured('bare-node')];
  const lines: string[] = [
    `Latest run: ${report.date.slice(0, 10)}, ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node}, PostgreSQL ${machine.postgres}, everything on one machine; medians of ${report.settings.rounds} rounds of ${Number(report.settings.durationMs) / 1000} s. ${viewersLine(report)}`,
    '',
    `| scenario | workload | conc. | ${targets.map((t) => `${NAMES[t]} req/s`).join(' | ')} | ${targets.map((t) => `${NAMES[t]} p95`).join(' | ')} | ours ÷ Grafbase, ÷ Hive (Rust): req/s | peak RSS ours |`,
    `|${Array(3 + 2 * targets.length + 2)
      .fill('---')
      .join('|')}|`,
  ];
  const num = (c: Cell | undefined, f: (c: Cell) => number, digits = 0) => (c ? f(c).toFixed(digits) : '—');
  const rowsOf = (data: string) =>
    scenariosOf(cells).flatMap((scenario) =>
      Object.keys(TITLES).flatMap((workload) =>
        concurrenciesOf(cells, scenario).flatMap((concurrency) => {
          const ours = find(cells, 'ours', workload, scenario, concurrency, data);
          return ours ? [{ scenario, workload, concurrency, ours }] : [];
        }),
      ),
    );
  for (const data of ['sample', 'large']) {
    for (const { scenario, workload, concurrency, ours } of rowsOf(data)) {
      const at = (t: string) => find(cells, t, workload, scenario, concurrency, data);
      const label = `${TITLES[workload]}${data === 'large' ? ', **500,000-visit log**' : ''}`;
      const ratios = `${x(ratio(ours.requestsPerSecond, at('grafbase')?.requestsPerSecond))}, ${x(ratio(ours.requestsPerSecond, at('hive-rust')?.requestsPerSecond))}`;
      lines.push(
        `| ${scenarioLabel(scenario)} | ${label} | ${concurrency} | ${targets.map((t) => num(at(t), (c) => c.requestsPerSecond)).join(' | ')} | ${targets.map((t) => num(at(t), (c) => c.p95, 1)).join(' | ')} | ${ratios} | ${ours.peakRssMb ?? '—'} MB |`,
      );
    }
  }
  lines.push(
    '',
    "Where the time goes (ours, and each peer beside it): CPU ms per request of the gateway process and of the four subgraph processes together, the gateway's share of the subgraphs', subgraph calls, SQL statements and data-version questions (asked before a kept answer is used) per request.",
    '',
    '| scenario | workload | conc. | target | gateway CPU ms | subgraphs CPU ms (municipalities / support-centers / bases / dispatch) | gateway ÷ subgraphs | calls/req | SQL/req | version questions/req |',
    '|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const { scenario, workload, concurrency } of rowsOf('sample')) {
    for (const target of targets) {
      const c = find(cells, target, workload, scenario, concurrency);
      if (!c) continue;
      const per = c.cpuMsPerOperation;
      lines.push(
        `| ${scenarioLabel(scenario)} | (${workload}) | ${concurrency} | ${NAMES[target]} | ${per.gateway === null ? '—' : per.gateway.toFixed(2)} | ${per.subgraphsTotal.toFixed(2)} (${Object.values(
          per.subgraphs,
        )
          .map((v) => v.toFixed(2))
          .join(
            ' / ',
          )}) | ${x(gatewayShare(c))} | ${c.subgraphCallsPerOperation.toFixed(2)} | ${c.statementsPerOperation.toFixed(1)} | ${c.versionQuestionsPerOperation?.toFixed(2) ?? '—'} |`,
      );
    }
  }
  lines.push('', 'Targets (from the issue, on this run):', '');
  for (const check of checkTargets(report)) lines.push(`- ${check.reached ? 'reached' : '**not reached**'}: ${check.name} — ${check.detail}`);
  for (const [key, why] of Object.entries(report.excluded)) lines.push(`- not measured: ${key.replace('/', ' on (')}) — ${why.slice(0, 160)}`);
  return `${lines.join('\n')}\n`;
}
