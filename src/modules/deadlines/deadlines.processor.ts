import { Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { WorkerService } from '../../infra/queue/worker.service';
import { SurveyWindow } from '../assessment/survey-window';
import { SupervisionEscalation } from '../supervision/supervision-escalation';
import { TimerSources } from '../appeals/deadlines/timer-sources';
import { DeadlinesService } from './deadlines.service';

type SweepResult = Awaited<ReturnType<DeadlinesService['sweep']>>;

/**
 * Handlers of the deadline jobs: wake-ups, the survey window, and the sweeper (scheduled by
 * JOB_SCHEDULES). A worker-role process also sweeps at once when the application has booted, without
 * waiting for Redis, its queue workers or the maintenance queue's other boot runs: deadlines missed
 * while no worker ran start firing as soon as the process can reach the database. One sweep runs at a
 * time per process; a sweep job arriving meanwhile joins the running one.
 */
@Injectable()
export class DeadlinesProcessor implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(DeadlinesProcessor.name);
  private running: Promise<SweepResult> | null = null;

  constructor(
    private readonly deadlines: DeadlinesService,
    private readonly surveyWindow: SurveyWindow,
    private readonly escalation: SupervisionEscalation,
    private readonly sources: TimerSources,
    private readonly worker: WorkerService,
  ) {}

  onModuleInit(): void {
    this.worker.handle('deadline.fire', (d) =>
      this.deadlines.wake(d.assignmentId, d.kind, d.secondLook === true, d.dueAt),
    );
    this.worker.handle('deadline.survey-close', (d) => this.surveyWindow.close(d.appealId));
    this.worker.handle('deadline.supervision-escalate', (d) => this.escalation.wake(d.supervisionId));
    this.worker.handle('deadline.timer', (d) => this.sources.get(d.source).wake(d.id, d.kind));
    this.worker.handle('deadline.sweep', () => this.sweep());
  }

  onApplicationBootstrap(): void {
    if (!this.worker.isWorker) return;
    // not awaited: the rest of the boot (queue workers, schedules) goes on beside it
    this.sweep().catch((err: Error) => this.logger.error(`the start-up sweep failed: ${err.message}`));
  }

  /** The running sweep of this process, or a new one. */
  sweep(): Promise<SweepResult> {
    this.running ??= this.deadlines
      .sweep()
      .then((result) => {
        if (result.fired || result.closed)
          this.logger.log(`sweep fired ${result.fired}, closed ${result.closed} unrated`);
        return result;
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }
}
