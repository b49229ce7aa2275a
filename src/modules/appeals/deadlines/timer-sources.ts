import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** One unfired timer of a source: the row it belongs to, which of the row's timers, and its instant. */
export interface PendingTimer {
  id: string;
  kind: string;
  at: Date;
}

/**
 * Timers kept on a room's own rows (a plan's promised date, a whistle's meeting, …), beside the
 * assignments' timers of deadline-timers.ts. The room owns the columns and the firing — a conditional
 * UPDATE of a `*_fired_at` column, so a timer fires once however often it is woken; the deadline
 * machinery only wakes it: after every writer commit for the changed appeals, by a delayed
 * `deadline.timer` job at its instant, and by the sweeper.
 */
export interface TimerSource {
  /** Unique among sources; part of every wake-up's job id and data. */
  readonly name: string;
  /** Unfired timers of these appeals, or (appealIds undefined) every unfired timer due before `until`. */
  pending(m: EntityManager, appealIds: string[] | undefined, until: Date): Promise<PendingTimer[]>;
  /**
   * A wake-up for one timer: fires what is due (it may fire a batch). Throws when it arrives before its
   * instant by this process's clock, so the job is retried; true when this timer fired now.
   */
  wake(id: string, kind: string): Promise<boolean>;
  /** Fires every due, unfired timer, in batches; how many fired. */
  sweep(): Promise<number>;
}

/**
 * The registry of timer sources. Each room that keeps timers registers its source once, in its
 * module's `onModuleInit`; arming, the wake-up job and the sweeper go through every source.
 */
@Injectable()
export class TimerSources {
  private readonly sources = new Map<string, TimerSource>();

  register(source: TimerSource): void {
    if (!/^[a-z][a-z0-9_-]*$/.test(source.name))
      throw new Error(`timer source name "${source.name}" must be lower-case letters, digits, - or _`);
    const known = this.sources.get(source.name);
    if (known && known !== source) throw new Error(`timer source "${source.name}" is registered twice`);
    this.sources.set(source.name, source);
  }

  /** The source of a wake-up; a job naming an unknown one fails (and is retried) rather than vanish. */
  get(name: string): TimerSource {
    const source = this.sources.get(name);
    if (!source) throw new Error(`no timer source "${name}" is registered`);
    return source;
  }

  all(): TimerSource[] {
    return [...this.sources.values()];
  }
}
