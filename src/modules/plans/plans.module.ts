import { Global, Module } from '@nestjs/common';
import { AppealsModule } from '../appeals/appeals.module';
import { PlannedReplies } from '../assignments/planned-reply';
import { SlaModule } from '../sla/sla.module';
import { SupervisionModule } from '../supervision/supervision.module';
import { PlanActions } from './plan.actions';
import { PlanDeadlines } from './plan-deadlines';
import { PlansController } from './plans.controller';
import { PlansService } from './plans.service';

/**
 * Planned resolution (计划解决, SPEC §9.3): the plans, their steps, their timers and the ledger. Global
 * only so that the reply (assignments) can record a plan (PlannedReplies) and a reopen (assessment) can
 * cancel one without importing this room's module.
 */
@Global()
@Module({
  imports: [AppealsModule, SlaModule, SupervisionModule],
  controllers: [PlansController],
  providers: [
    PlanActions,
    PlansService,
    PlanDeadlines,
    { provide: PlannedReplies, useExisting: PlanActions },
  ],
  exports: [PlanActions, PlannedReplies, PlanDeadlines],
})
export class PlansModule {}
