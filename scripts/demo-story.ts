/**
 * The demo history's size and marker, apart from the history itself (scripts/demo-history.ts), so that
 * the seed can tell whether the history is there without loading the application.
 */

export interface DemoHistoryOptions {
  /** the people's part of the history ends here: nobody acts at or after it */
  until: Date;
  /**
   * The service starts here (never before `until`; default `until`). The system's own timers — the
   * deadlines' warnings and overdue, the survey windows, the supervisions' answer dues — fire inside the
   * history at their own instants up to it, so the service's first start finds nothing due. A function
   * is asked again as the history catches up (the seed passes the real clock: seeding takes time).
   */
  serviceStart?: Date | (() => Date);
  weeks: number;
  seed: number;
  /** appeals between meetings per week (phone, web, app) */
  appealsPerWeek: number;
  /** issues per meeting: [min, max] */
  issuesPerMeeting: [number, number];
  log?: (line: string) => void;
}

export const DEMO_DEFAULTS: Omit<DemoHistoryOptions, 'until'> = {
  weeks: 52,
  seed: 20220608,
  appealsPerWeek: 3,
  issuesPerMeeting: [4, 7],
};

export const DEMO_MEETING_PREFIX = '亲清直通车·政企恳谈会';
