import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Self-plans as counts (計画作成者数 and セルフプラン作成者数) for 計画相談支援 and 障害児相談支援, the way MHLW
 * computes its rates. Per service a row holds either the two counts (its rate is derived, never stored) or,
 * for files that give only a rate, the rate alone; rows recorded before hold rates alone.
 */
export class AddSelfPlanCounts1765238400000 implements MigrationInterface {
  name = 'AddSelfPlanCounts1765238400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE self_plan_rate
        ADD COLUMN planning_plans      integer CHECK (planning_plans >= 0),
        ADD COLUMN planning_self_plans integer CHECK (planning_self_plans >= 0),
        ADD COLUMN child_plans         integer CHECK (child_plans >= 0),
        ADD COLUMN child_self_plans    integer CHECK (child_self_plans >= 0),
        ADD CONSTRAINT self_plan_planning_counts CHECK ((planning_plans IS NULL) = (planning_self_plans IS NULL) AND planning_self_plans <= planning_plans),
        ADD CONSTRAINT self_plan_child_counts CHECK ((child_plans IS NULL) = (child_self_plans IS NULL) AND child_self_plans <= child_plans),
        ADD CONSTRAINT self_plan_planning_counts_or_rate CHECK (planning_plans IS NULL OR planning_rate IS NULL),
        ADD CONSTRAINT self_plan_child_counts_or_rate CHECK (child_plans IS NULL OR child_rate IS NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE self_plan_rate DROP COLUMN planning_plans, DROP COLUMN planning_self_plans, DROP COLUMN child_plans, DROP COLUMN child_self_plans`);
  }
}
