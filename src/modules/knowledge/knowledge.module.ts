import { Global, Module } from '@nestjs/common';
import { KnowledgeCitations } from '../appeals/knowledge-citations';
import { CategoriesModule } from '../categories/categories.module';
import { DepartmentsModule } from '../departments/departments.module';
import { KnowledgeController } from './knowledge.controller';
import { KnowledgeService } from './knowledge.service';

/**
 * The knowledge base (SPEC §10): entries, versions, workflow, search, the suggestions routing writes on a
 * new appeal. Global only so that the appeal room can check the entries an answer on the spot cites
 * (KnowledgeCitations) without importing this one.
 */
@Global()
@Module({
  imports: [DepartmentsModule, CategoriesModule],
  controllers: [KnowledgeController],
  providers: [KnowledgeService, { provide: KnowledgeCitations, useExisting: KnowledgeService }],
  exports: [KnowledgeService, KnowledgeCitations],
})
export class KnowledgeModule {}
