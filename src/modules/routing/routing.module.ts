import { Module } from '@nestjs/common';
import { AppealsModule } from '../appeals/appeals.module';
import { AssignmentsModule } from '../assignments/assignments.module';
import { CategoriesModule } from '../categories/categories.module';
import { DepartmentsModule } from '../departments/departments.module';
import { DistrictsModule } from '../districts/districts.module';
import { RoutingController } from './routing.controller';
import { RoutingProcessor } from './routing.processor';
import { RoutingService } from './routing.service';

@Module({
  imports: [AppealsModule, AssignmentsModule, DepartmentsModule, CategoriesModule, DistrictsModule],
  controllers: [RoutingController],
  providers: [RoutingService, RoutingProcessor],
  exports: [RoutingService],
})
export class RoutingModule {}
