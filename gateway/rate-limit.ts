/**
 * Each caller's budget of cost points a minute, so that one caller's script in a loop cannot take the API from
 * everyone else. A signed-in caller is counted by who they are (token subject or API key: a municipality's
 * staff behind one LGWAN address are each their own), an anonymous caller by address. An operation is charged
 * its cost (gateway/cost.ts, the estimate the per-operation limit uses; at least 1 point), whether its answer
 * was kept or computed — what a caller may send does not depend on what the gateway happens to have kept; an
 * export as one heavy operation, once, before its first row. Counts are per gateway process
 * (rate-limiter-flexible's memory store): with several replicas a caller may use up to that many budgets.
 */
import type { GraphQLError } from 'graphql';
import ipaddr from 'ipaddr.js';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { QueryLimits } from '../shared/config';
import type { Viewer } from '../shared/context';
import { limitError } from './limit-error';

/** One charge's outcome, and what the caller's `RateLimit-*` headers say. */
export interface Charge {
  allowed: boolean;
  cost: number;
  /** Points a minute for this caller. */
  limit: number;
  remaining: number;
  /** Seconds until the caller's minute ends and its points are whole again. */
  resetSeconds: number;
}

const WINDOW_SECONDS = 60;

/**
 * Whom a request is counted against: the same key the heavy-operation limit counts running operations under. An
 * anonymous caller by address — an IPv6 one by its /64, the block a single subscriber or host is given, so that
 * moving to another address of it (there are 2^64) brings no fresh budget; an IPv4-mapped one as the IPv4 address.
 */
export function callerKey(viewer: Viewer, clientAddress: string): string {
  if (viewer.apiKeyId) return `api-key:${viewer.apiKeyId}`;
  return viewer.subject ? `${viewer.role}:${viewer.subject}` : `anonymous:${addressBlock(clientAddress)}`;
}

function addressBlock(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const prefix = (parsed as ipaddr.IPv6).toNormalizedString().split(':').slice(0, 4).join(':');
  return `${prefix}::/64`;
}

export class CallerBudgets {
  private readonly signedIn: RateLimiterMemory | null;
  private readonly anonymous: RateLimiterMemory | null;
  /** Operations and exports refused so far (`/metrics`: gateway_rate_limit_refusals_total). */
  refusals = 0;

  constructor(limits: Pick<QueryLimits, 'pointsPerMinute' | 'anonymousPointsPerMinute'>) {
    const limiter = (points: number) => (points > 0 ? new RateLimiterMemory({ points, duration: WINDOW_SECONDS }) : null);
    this.signedIn = limiter(limits.pointsPerMinute);
    this.anonymous = limiter(limits.anonymousPointsPerMinute);
  }

  /** Takes `cost` points from the caller's minute if it has them; null when no budget applies (turned off). */
  async charge(viewer: Viewer, clientAddress: string, cost: number): Promise<Charge | null> {
    const limiter = viewer.role ? this.signedIn : this.anonymous;
    if (!limiter) return null;
    const key = callerKey(viewer, clientAddress);
    const points = Math.max(1, Math.ceil(cost));
    const charge = (res: RateLimiterRes, allowed: boolean): Charge => ({
      allowed,
      cost: points,
      limit: limiter.points,
      remaining: res.remainingPoints,
      resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
    });
    try {
      return charge(await limiter.consume(key, points), true);
    } catch (refused) {
      if (!(refused instanceof RateLimiterRes)) throw refused;
      // A refused operation costs nothing: its points go back, so `remaining` says what a cheaper one may still use.
      return charge(await limiter.reward(key, points), false);
    }
  }

  /** Gives back what `charged` took, for an operation refused by a later limit before it ran. */
  async refund(viewer: Viewer, clientAddress: string, charged: Charge): Promise<Charge> {
    const limiter = viewer.role ? this.signedIn : this.anonymous;
    if (!limiter || !charged.allowed) return charged;
    const after = await limiter.reward(callerKey(viewer, clientAddress), charged.cost);
    return { ...charged, remaining: after.remainingPoints };
  }

  /** The refusal of an operation over the caller's budget (counted): 429, with what it costs, what is left and when it is whole again. */
  refusal(charge: Charge): GraphQLError {
    this.refusals += 1;
    return rateLimitError(charge);
  }
}

/** The caller's budget as response headers (the IETF draft's RateLimit fields, as express-rate-limit's `draft-6` sends them). */
export function rateLimitHeaders(charge: Charge): [string, string][] {
  const headers: [string, string][] = [
    ['ratelimit-policy', `${charge.limit};w=${WINDOW_SECONDS}`],
    ['ratelimit-limit', String(charge.limit)],
    ['ratelimit-remaining', String(charge.remaining)],
    ['ratelimit-reset', String(charge.resetSeconds)],
  ];
  if (!charge.allowed) headers.push(['retry-after', String(charge.resetSeconds)]);
  return headers;
}

/** The refusal itself, in English and Japanese (the extensions' `http` gives its status). */
export function rateLimitError(charge: Charge): GraphQLError {
  const n = (x: number) => x.toLocaleString('en-US');
  const message =
    `this operation costs ${n(charge.cost)} points and ${n(charge.remaining)} of your ${n(charge.limit)} points a minute are left: ` +
    `send it again in ${charge.resetSeconds} s, or ask for fewer items`;
  const messageJa =
    `1分あたりの利用上限（${n(charge.limit)}ポイント）に達しました。この操作は${n(charge.cost)}ポイント、残りは${n(charge.remaining)}ポイントです。` +
    `${charge.resetSeconds}秒後に再度送信するか、取得する件数を減らしてください`;
  return limitError(
    'rate',
    message,
    messageJa,
    { cost: charge.cost, remaining: charge.remaining, budget: charge.limit, retryAfterSeconds: charge.resetSeconds },
    429,
  );
}
