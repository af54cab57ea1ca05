/**
 * Write permissions that hold until the security issue brings the full role table: prefectural
 * staff write their own prefecture's records, admins any; everyone else is refused.
 */
import type { Role, Viewer } from './context';
import { forbidden, unauthenticated } from './errors';

export function assertCanWritePrefecture(viewer: Viewer, prefectureCode: string, roles: readonly Role[]): void {
  if (viewer.role === null) throw unauthenticated('sign in to change records');
  if (viewer.role === 'ADMIN') return;
  if (!roles.includes(viewer.role)) throw forbidden(`role ${viewer.role} may not change these records`);
  if (viewer.prefectureCode !== prefectureCode) {
    throw forbidden(`records of prefecture ${prefectureCode} belong to that prefecture's staff`);
  }
}
