import { Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { QueueService } from '../../infra/queue/queue.service';
import { WorkerService } from '../../infra/queue/worker.service';

const HOUR = 3600_000;

/** Housekeeping on the maintenance queue: idempotency keys live 24 h (SPEC §2). */
@Injectable()
export class MaintenanceProcessor implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly worker: WorkerService,
    private readonly queue: QueueService,
  ) {}

  onModuleInit(): void {
    this.worker.handle('maintenance.purge-idempotency-keys', () => this.purgeIdempotencyKeys());
  }

  /** Not awaited: a worker must boot (and /health must answer) while Redis is still coming up. */
  onApplicationBootstrap(): void {
    if (!this.worker.isWorker) return;
    this.queue.scheduleInBackground('maintenance.purge-idempotency-keys', HOUR, {});
  }

  /** Expired keys are already ignored when filing; this only keeps the table small. */
  async purgeIdempotencyKeys(): Promise<number> {
    const result = await this.db.query(`DELETE FROM idempotency_keys WHERE expires_at <= $1`, [
      this.clock.now(),
    ]);
    return (result as [unknown, number])[1] ?? 0;
  }
}
