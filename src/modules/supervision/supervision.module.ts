import { Module } from '@nestjs/common';
import { AppealsModule } from '../appeals/appeals.module';
import { SlaModule } from '../sla/sla.module';
import { AppealSupervisionController } from './appeal-supervision.controller';
import { SupervisionActions } from './supervision.actions';
import { SupervisionEscalation } from './supervision-escalation';
import { SupervisionRecords } from './supervision-records';
import { SupervisionsController } from './supervisions.controller';
import { SupervisionsService } from './supervisions.service';

/** Graded supervision (催办 → 督办 → 通报, SPEC §7.3): the records, the actions, escalation, the ledger. */
@Module({
  imports: [AppealsModule, SlaModule],
  controllers: [AppealSupervisionController, SupervisionsController],
  providers: [SupervisionRecords, SupervisionActions, SupervisionEscalation, SupervisionsService],
  exports: [SupervisionRecords, SupervisionEscalation],
})
export class SupervisionModule {}
