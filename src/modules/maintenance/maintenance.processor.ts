import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { WorkerService } from '../../infra/queue/worker.service';

/** Housekeeping on the maintenance queue: idempotency keys live 24 h (SPEC §2). */
@Injectable()
export class MaintenanceProcessor implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly worker: WorkerService,
  ) {}

  onModuleInit(): void {
    this.worker.handle('maintenance.purge-idempotency-keys', () => this.purgeIdempotencyKeys());
  }

  /** Expired keys are already ignored when filing; this only keeps the table small. */
  async purgeIdempotencyKeys(): Promise<number> {
    const result = await this.db.query(`DELETE FROM idempotency_keys WHERE expires_at <= $1`, [
      this.clock.now(),
    ]);
    return (result as [unknown, number])[1] ?? 0;
  }
}
