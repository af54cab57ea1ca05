/**
 * A subgraph of another release than the gateway's supergraph. The gateway plans each request against the
 * supergraph and sends every subgraph only what the supergraph says it has, so a subgraph that refuses the
 * gateway's own document as not fitting its schema (`GRAPHQL_VALIDATION_FAILED`, `GRAPHQL_PARSE_FAILED`)
 * runs another release: during a rollout, a gateway deployed before a subgraph that gains a field, or after
 * one that lost it. That is the deployment's state, never the caller's mistake: the caller is told the
 * part is unavailable for now (`SUBGRAPH_UNAVAILABLE`, as for a subgraph that is down), and the operators
 * what the subgraph lacks (the schema coordinates only: a subgraph's validation message may quote a literal
 * of the caller's document, which stays out of the log).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { type Schema, Supergraph, buildSubgraph } from '@apollo/federation-internals';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { GATEWAY_SECRET_HEADER } from '../shared/context';
import { ErrorCode } from '../shared/errors';
import type { Logger } from '../shared/log';
import type { ServiceMetrics } from '../shared/metrics';
import type { GatewayContext } from './context';
import { postToSubgraph } from './subgraph-http';

const DOCUMENT_REFUSALS = new Set(['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED']);

/** How often one subgraph's mismatch is logged again while it lasts (each request meets it). */
const LOG_EVERY_MS = 60_000;

type SubgraphErrors = { data?: unknown; errors?: Array<{ message?: unknown; extensions?: { code?: unknown } }> };

/**
 * The schema coordinates a subgraph's refusal of the gateway's document names (`Query.newField`,
 * `Municipality.coverage(asOf:)`), or undefined when the answer is no such refusal.
 */
export function releaseMismatchOf(body: unknown): string[] | undefined {
  const { data, errors } = (body ?? {}) as SubgraphErrors;
  if ((data !== undefined && data !== null) || !Array.isArray(errors) || !errors.some((e) => DOCUMENT_REFUSALS.has(String(e?.extensions?.code))))
    return undefined;
  return [...new Set(errors.map((e) => coordinateOf(String(e?.message ?? ''))))];
}

/** The coordinate graphql-js's validation message is about; only names of the schema, never a value. */
function coordinateOf(message: string): string {
  const patterns: Array<[RegExp, (m: RegExpExecArray) => string]> = [
    [/^Cannot query field "(\w+)" on type "(\w+)"/, (m) => `${m[2]}.${m[1]}`],
    [/^Unknown argument "(\w+)" on field "(\w+)\.(\w+)"/, (m) => `${m[2]}.${m[3]}(${m[1]}:)`],
    [/^Field "(\w+)\.(\w+)" argument "(\w+)" of type "[^"]+" is required/, (m) => `${m[1]}.${m[2]}(${m[3]}:)`],
    [/^Unknown type "(\w+)"/, (m) => m[1]],
    [/^Field "(\w+)" is not defined by type "(\w+)"/, (m) => `${m[2]}.${m[1]}`],
    [/^Value "\w+" does not exist in "(\w+)" enum/, (m) => m[1]],
  ];
  for (const [pattern, coordinate] of patterns) {
    const m = pattern.exec(message);
    if (m) return coordinate(m);
  }
  return 'a part of the schema';
}

const anotherRelease = (subgraph: string) => {
  const reason = 'it runs another release than the gateway, and cannot answer this part until the deployment finishes';
  const reasonJa = `${subgraph} サブグラフがゲートウェイと異なるリリースで動いているため、この部分に答えられません。更新の完了後にもう一度お試しください`;
  return {
    message: `The ${subgraph} subgraph is unavailable: ${reason}`,
    extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: subgraph, reason, reasonJa, messageJa: reasonJa },
  };
};

/** The refusal the caller gets: that part is unavailable until every service runs the same release. */
export function anotherReleaseError(subgraph: string): GraphQLError {
  const { message, extensions } = anotherRelease(subgraph);
  return new GraphQLError(message, { extensions });
}

/**
 * The other direction of a rollout: a subgraph of a later release answers a value the gateway's supergraph does
 * not have (an enum value added), and Apollo Gateway leaves the field null with the error in
 * `extensions.valueCompletion` instead of `errors` — a null no client reads as an error, which the gateway
 * would then keep as a whole answer until the data changed. Each becomes an error at its path, naming the
 * subgraph that serves the field; the answer then has errors and is not kept.
 */
export function valueCompletionPlugin(schemas: SubgraphSchemas, mismatches: ReleaseMismatches): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const completion = result.extensions?.valueCompletion as GraphQLFormattedError[] | undefined;
          if (!Array.isArray(completion) || completion.length === 0) return;
          const { valueCompletion: _moved, ...extensions } = result.extensions ?? {};
          result.extensions = Object.keys(extensions).length > 0 ? extensions : undefined;
          result.errors = [
            ...(result.errors ?? []),
            ...completion.map((error) => {
              const coordinate = /^Invalid value found for field (\w+\.\w+)\.$/.exec(error.message)?.[1] ?? 'a field';
              const subgraph = schemas.servedBy(coordinate);
              mismatches.note(subgraph, [`${coordinate} (a value of it)`]);
              return { ...anotherRelease(subgraph), ...(error.path ? { path: error.path } : {}) };
            }),
          ];
        },
      };
    },
  };
}

/** Counts each mismatch met (`/metrics`) and logs each subgraph's at most once a minute while it lasts, with what it lacks. */
export class ReleaseMismatches {
  private readonly lastLogged = new Map<string, number>();

  constructor(
    private readonly log: Logger,
    private readonly metrics?: ServiceMetrics,
  ) {}

  /** A fetch that met the mismatch: counted, and logged. */
  note(subgraph: string, lacks: string[]): void {
    this.metrics?.subgraphReleaseMismatches.inc({ subgraph });
    this.warn(subgraph, lacks);
  }

  /** Logged, at most once a minute per subgraph. */
  warn(subgraph: string, lacks: string[]): void {
    const now = Date.now();
    if (now - (this.lastLogged.get(subgraph) ?? -Infinity) < LOG_EVERY_MS) return;
    this.lastLogged.set(subgraph, now);
    this.log.warn(
      { subgraph, lacks },
      `the ${subgraph} subgraph's schema differs from the gateway's supergraph (it lacks what the gateway asked of it, or answered a value the gateway does not know): it runs another release than the gateway. Deploy one release to every service: subgraphs first, then gateways (a release that removes a field: gateways first)`,
    );
  }
}

/** How long what a subgraph serves is taken as known before it is asked again (readiness probes come every few seconds). */
const SCHEMA_CHECK_EVERY_MS = 60_000;
/** The coordinates named in a readiness detail; the log has them all. */
const SHOWN_COORDINATES = 5;

/**
 * What each subgraph serves against what the supergraph says it has, asked of the subgraph (`_service { sdl }`) at
 * most once a minute while the gateway's readiness is asked: so operators see a subgraph of another release on
 * `/ready` and in the log as soon as it runs, before any caller meets it. Asked beside the readiness check, never in
 * its way: a probe reads what the last check found (a slow subgraph must not make the gateway look unready).
 */
export class SubgraphSchemas {
  /** Each subgraph's schema as the supergraph has it, with its coordinates: built on first use, not at every start. */
  private extracted: Array<{ name: string; schema: Schema; coordinates: Set<string> }> | undefined;
  private readonly checked = new Map<string, { at: number; sdl: string; lacks: string[] }>();
  private readonly asking = new Set<string>();

  constructor(
    private readonly supergraphSdl: string,
    private readonly urls: Record<string, string>,
    private readonly gatewaySecret: string,
    private readonly timeoutMs: number,
    private readonly mismatches: ReleaseMismatches,
  ) {}

  /** What the subgraph was last found to lack ([] when nothing, undefined before it was asked), asking again when due. */
  lacking(subgraph: string): string[] | undefined {
    const known = this.checked.get(subgraph);
    if ((!known || Date.now() - known.at >= SCHEMA_CHECK_EVERY_MS) && !this.asking.has(subgraph)) {
      this.asking.add(subgraph);
      void this.ask(subgraph).finally(() => this.asking.delete(subgraph));
    }
    return known?.lacks;
  }

  /** Asks the subgraph what it serves, and compares (again only when what it serves changed). */
  async ask(subgraph: string): Promise<void> {
    let sdl: string;
    try {
      const answer = await postToSubgraph(
        this.urls[subgraph],
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', [GATEWAY_SECRET_HEADER]: this.gatewaySecret },
          body: '{"query":"{ _service { sdl } }"}',
        },
        this.timeoutMs,
      );
      sdl = (JSON.parse(answer.body) as { data?: { _service?: { sdl?: string } } }).data?._service?.sdl ?? '';
      if (answer.status !== 200 || !sdl) return;
    } catch {
      return; // asked again at the next probe
    }
    const known = this.checked.get(subgraph);
    let lacks = known?.sdl === sdl ? known.lacks : undefined;
    if (!lacks) {
      let served: Set<string>;
      try {
        served = coordinatesOf(buildSubgraph(subgraph, '', sdl).schema);
      } catch {
        served = new Set();
      }
      const expected = this.subgraphs().find((s) => s.name === subgraph)?.coordinates ?? [];
      lacks = [...expected].filter((coordinate) => !served.has(coordinate)).sort();
      if (lacks.length > 0) this.mismatches.warn(subgraph, lacks);
    }
    this.checked.set(subgraph, { at: Date.now(), sdl, lacks });
  }

  /** The subgraphs the supergraph says serve an object type's field (`Municipality.baseCoverage`), `unknown` when none. */
  servedBy(coordinate: string): string {
    const [type, field] = coordinate.split('.');
    const names = this.subgraphs()
      .filter((s) => s.schema.type(type)?.kind === 'ObjectType' && s.schema.elementByCoordinate(`${type}.${field}`))
      .map((s) => s.name);
    return names.length > 0 ? names.join(', ') : 'unknown';
  }

  private subgraphs() {
    this.extracted ??= [...Supergraph.build(this.supergraphSdl).subgraphs().values()].map((s) => ({
      name: s.name,
      schema: s.schema,
      coordinates: coordinatesOf(s.schema),
    }));
    return this.extracted;
  }

  /** A readiness detail's words for a subgraph that answers: `ready`, or what it was found to lack. */
  readiness(subgraph: string): string {
    const lacks = this.lacking(subgraph);
    if (!lacks || lacks.length === 0) return 'ready';
    const shown = lacks.slice(0, SHOWN_COORDINATES).join(', ');
    const more = lacks.length > SHOWN_COORDINATES ? ` and ${lacks.length - SHOWN_COORDINATES} more` : '';
    return `ready, but runs another release than the gateway: lacks ${shown}${more} (what the gateway asks of it there is answered SUBGRAPH_UNAVAILABLE)`;
  }
}

/** The schema coordinates a schema serves (types, fields, arguments, input fields, enum values), federation's own left out. */
function coordinatesOf(schema: Schema): Set<string> {
  const coordinates = new Set<string>();
  for (const type of schema.types()) {
    if (type.name.startsWith('_') || type.name.includes('__') || type.isBuiltIn) continue;
    coordinates.add(type.name);
    if (type.kind === 'ObjectType' || type.kind === 'InterfaceType') {
      for (const field of type.fields()) {
        if (field.name.startsWith('_')) continue;
        coordinates.add(`${type.name}.${field.name}`);
        for (const argument of field.arguments()) coordinates.add(`${type.name}.${field.name}(${argument.name}:)`);
      }
    } else if (type.kind === 'InputObjectType') {
      for (const field of type.fields()) coordinates.add(`${type.name}.${field.name}`);
    } else if (type.kind === 'EnumType') {
      for (const value of type.values) coordinates.add(`${type.name}.${value.name}`);
    }
  }
  return coordinates;
}
