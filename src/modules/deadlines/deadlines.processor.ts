import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { WorkerService } from '../../infra/queue/worker.service';
import { SurveyWindow } from '../assessment/survey-window';
import { SupervisionEscalation } from '../supervision/supervision-escalation';
import { TimerSources } from '../appeals/deadlines/timer-sources';
import { DeadlinesService } from './deadlines.service';

/** Handlers of the deadline jobs: wake-ups, the survey window, and the sweeper (scheduled by JOB_SCHEDULES). */
@Injectable()
export class DeadlinesProcessor implements OnModuleInit {
  private readonly logger = new Logger(DeadlinesProcessor.name);

  constructor(
    private readonly deadlines: DeadlinesService,
    private readonly surveyWindow: SurveyWindow,
    private readonly escalation: SupervisionEscalation,
    private readonly sources: TimerSources,
    private readonly worker: WorkerService,
  ) {}

  onModuleInit(): void {
    this.worker.handle('deadline.fire', (d) => this.deadlines.wake(d.assignmentId, d.kind));
    this.worker.handle('deadline.survey-close', (d) => this.surveyWindow.close(d.appealId));
    this.worker.handle('deadline.supervision-escalate', (d) => this.escalation.wake(d.supervisionId));
    this.worker.handle('deadline.timer', (d) => this.sources.get(d.source).wake(d.id, d.kind));
    this.worker.handle('deadline.sweep', () => this.sweep());
  }

  private async sweep() {
    const result = await this.deadlines.sweep();
    if (result.fired || result.closed)
      this.logger.log(`sweep fired ${result.fired}, closed ${result.closed} unrated`);
    return result;
  }
}
