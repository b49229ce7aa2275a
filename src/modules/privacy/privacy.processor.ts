import { Injectable, OnModuleInit } from '@nestjs/common';
import { WorkerService } from '../../infra/queue/worker.service';
import { ContactsService } from './contacts.service';

/** Binds the retention job (SPEC §11) on the maintenance queue. */
@Injectable()
export class PrivacyProcessor implements OnModuleInit {
  constructor(
    private readonly worker: WorkerService,
    private readonly contacts: ContactsService,
  ) {}

  onModuleInit(): void {
    this.worker.handle('privacy.anonymise-contacts', async () => {
      await this.contacts.anonymiseDue();
    });
  }
}
