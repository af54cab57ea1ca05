import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Requests and checklist assessments by the visit they were recorded at: a change to a visit checks them
 * (rules.ts onChangedVisitProblems), and deleting a visit (an import's revert) checks their foreign keys.
 * Follow-ups had this index from the start.
 */
export class IndexRecordsOnVisits1766016000000 implements MigrationInterface {
  name = 'IndexRecordsOnVisits1766016000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX municipal_request_visit_idx ON municipal_request (visit_id)');
    await q.query('CREATE INDEX assessment_visit_idx ON assessment (visit_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX assessment_visit_idx');
    await q.query('DROP INDEX municipal_request_visit_idx');
  }
}
