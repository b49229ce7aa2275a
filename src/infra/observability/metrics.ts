import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { routeOf } from './logging';

/** One registry per app instance (tests start several apps in one process). */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'zqt_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly jobs = new Counter({
    name: 'zqt_jobs_total',
    help: 'Queue jobs processed by name and outcome',
    labelNames: ['name', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly jobDuration = new Histogram({
    name: 'zqt_job_duration_seconds',
    help: 'Time a queue job took in its handler, by queue, job name and outcome',
    labelNames: ['queue', 'name', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  /**
   * SPEC §3: how late a deadline fired, from its instant to the firing, by kind (ack_warning,
   * ack_overdue, reply_warning, reply_overdue, survey_close). Wake-ups fire within a second; the
   * sweeper's catches (a lost wake-up, a stopped worker) land in the upper buckets.
   */
  readonly deadlineLateness = new Histogram({
    name: 'zqt_deadline_firing_lateness_seconds',
    help: 'Seconds from a deadline instant to its firing, by kind',
    labelNames: ['kind'] as const,
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600, 14400, 86400],
    registers: [this.registry],
  });
  readonly sweeperFired = new Counter({
    name: 'zqt_deadline_sweeper_fired_total',
    help: 'Deadline timers the sweeper fired because no wake-up had (lost, late or never armed), by kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'zqt_' });
  }
}

@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: Metrics) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const end = this.metrics.httpDuration.startTimer();
    res.on('finish', () => {
      // the route pattern, not the URL, keeps label cardinality bounded
      end({ method: req.method, route: routeOf(req), status: String(res.statusCode) });
    });
    next();
  }
}
