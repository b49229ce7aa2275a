import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HttpMetricsMiddleware, Metrics } from './metrics';
import { ObservabilityController, RedisHealthIndicator } from './observability.controller';
import { OpsGauges } from './ops-gauges';

@Global()
@Module({
  imports: [TerminusModule.forRoot({ logger: false, errorLogStyle: 'json' })],
  controllers: [ObservabilityController],
  providers: [Metrics, RedisHealthIndicator, OpsGauges],
  exports: [Metrics],
})
export class ObservabilityModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}
