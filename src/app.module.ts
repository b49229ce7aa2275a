import { DynamicModule, Module, Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { Clock, SystemClock } from './common/clock';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { DatabaseModule } from './infra/database/database.module';
import { ErrorFilter } from './infra/http/error.filter';
import { RedisThrottlerStorage } from './infra/http/redis-throttler.storage';
import { notRegistration, ThrottleGuard } from './infra/http/throttle.guard';
import { createRootLogger, LoggingModule, LogOutput } from './infra/observability/logging';
import { ObservabilityModule } from './infra/observability/observability.module';
import { QueueModule } from './infra/queue/queue.module';
import { REDIS, RedisKeys, RedisModule, RedisClient } from './infra/redis/redis.module';
import { AppealsModule } from './modules/appeals/appeals.module';
import { AssessmentModule } from './modules/assessment/assessment.module';
import { FollowUpModule } from './modules/follow-up/follow-up.module';
import { AttachmentsModule } from './modules/attachments/attachments.module';
import { PrivacyModule } from './modules/privacy/privacy.module';
import { AssignmentsModule } from './modules/assignments/assignments.module';
import { DeadlinesModule } from './modules/deadlines/deadlines.module';
import { SupervisionModule } from './modules/supervision/supervision.module';
import { PlansModule } from './modules/plans/plans.module';
import { WhistlesModule } from './modules/whistles/whistles.module';
import { CalendarModule } from './modules/calendar/calendar.module';
import { NotificationsModule } from './modules/notifications/notifications.module';
import { SlaModule } from './modules/sla/sla.module';
import { AuthGuard } from './modules/auth/auth.guard';
import { AuthModule } from './modules/auth/auth.module';
import { CategoriesModule } from './modules/categories/categories.module';
import { DepartmentsModule } from './modules/departments/departments.module';
import { DistrictsModule } from './modules/districts/districts.module';
import { EnterprisesModule } from './modules/enterprises/enterprises.module';
import { MaintenanceModule } from './modules/maintenance/maintenance.module';
import { KnowledgeModule } from './modules/knowledge/knowledge.module';
import { MeetingsModule } from './modules/meetings/meetings.module';
import { RoutingModule } from './modules/routing/routing.module';
import { ReportsModule } from './modules/reports/reports.module';
import { UsersModule } from './modules/users/users.module';
import { WebhooksModule } from './modules/webhooks/webhooks.module';

export interface AppModuleOptions {
  config: AppConfig;
  /** Tests pass a FakeClock; production uses the system clock. */
  clock?: Clock;
  /** Where log lines go (stdout as JSON by default; tests capture them, a terminal gets pretty lines). */
  log?: LogOutput;
}

@Module({})
class ConfigHolderModule {}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    const { config } = options;
    const globals: Provider[] = [
      { provide: APP_CONFIG, useValue: config },
      { provide: Clock, useValue: options.clock ?? new SystemClock() },
    ];
    return {
      module: AppModule,
      imports: [
        { module: ConfigHolderModule, global: true, providers: globals, exports: globals },
        LoggingModule.forRoot(createRootLogger(config, options.log)),
        DatabaseModule,
        RedisModule,
        QueueModule,
        ObservabilityModule,
        ThrottlerModule.forRootAsync({
          inject: [APP_CONFIG, REDIS, RedisKeys],
          useFactory: (cfg: AppConfig, redis: RedisClient, keys: RedisKeys) => ({
            throttlers: [
              { name: 'default', ttl: 60_000, limit: cfg.rateLimitPerMinute },
              {
                name: 'registration',
                ttl: 3_600_000,
                limit: cfg.registrationsPerHour,
                skipIf: notRegistration,
              },
            ],
            storage: new RedisThrottlerStorage(redis, keys),
          }),
        }),
        AuthModule,
        UsersModule,
        DepartmentsModule,
        DistrictsModule,
        CategoriesModule,
        EnterprisesModule,
        MaintenanceModule,
        AppealsModule,
        KnowledgeModule,
        AssignmentsModule,
        SupervisionModule,
        PlansModule,
        AssessmentModule,
        FollowUpModule,
        DeadlinesModule,
        MeetingsModule,
        WhistlesModule,
        CalendarModule,
        SlaModule,
        NotificationsModule,
        WebhooksModule,
        RoutingModule,
        ReportsModule,
        AttachmentsModule,
        PrivacyModule,
      ],
      providers: [
        // order matters: the rate limit first, so requests without a valid token are limited per client
        // address and a request past its limit costs no authentication lookup (SPEC §5.1); it reads
        // the token's signed claims itself to count an authenticated user's requests per user
        { provide: APP_GUARD, useClass: ThrottleGuard },
        { provide: APP_GUARD, useExisting: AuthGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
      ],
    };
  }
}
