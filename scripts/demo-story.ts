/**
 * The demo history's size and marker, apart from the history itself (scripts/demo-history.ts), so that
 * the seed can tell whether the history is there without loading the application.
 */

export interface DemoHistoryOptions {
  /** the history ends here (nothing happens at or after it) */
  until: Date;
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
