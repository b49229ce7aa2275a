import { OFFICIAL_DAYS } from '../calendar/official-days';
import { WorkingCalendar } from '../calendar/working-calendar';
import {
  answeredOnTime,
  answerProblem,
  AssessmentWindows,
  closeProblem,
  DEFAULT_WINDOWS,
  isContestable,
  isWithinWindow,
  windowClosesAt,
} from './assessment-rules';

const cal = new WorkingCalendar(OFFICIAL_DAYS);
const working: AssessmentWindows = { clock: 'working', ...DEFAULT_WINDOWS };
const at = (iso: string) => new Date(iso);

// 2025: off Wed 1 – Wed 8 Oct (National Day and Mid-Autumn); make-up working days Sun 28 Sep and Sat 11 Oct.
describe('SPEC §7 windows on the working-day calendar', () => {
  it('a return window opened on Tue 30 Sep 2025 closes at the end of the 2nd working day after it: Fri 10 Oct', () => {
    const closes = windowClosesAt(cal, working, 'returnWithin', at('2025-09-30T16:00+08:00'));
    expect(closes.toISOString()).toBe(at('2025-10-10T17:30+08:00').toISOString());
  });

  it('a return asked during the holiday, eight wall-clock days after dispatch, is still in time', () => {
    const closes = windowClosesAt(cal, working, 'returnWithin', at('2025-09-30T16:00+08:00'));
    expect(isWithinWindow(closes, at('2025-10-08T10:00+08:00'))).toBe(true);
    expect(isWithinWindow(closes, at('2025-10-10T17:30+08:00'))).toBe(true);
  });

  it('one minute after the close it is late, and so is the make-up Saturday after it', () => {
    const closes = windowClosesAt(cal, working, 'returnWithin', at('2025-09-30T16:00+08:00'));
    expect(isWithinWindow(closes, at('2025-10-10T17:31+08:00'))).toBe(false);
    expect(isWithinWindow(closes, at('2025-10-11T09:00+08:00'))).toBe(false);
  });

  it('dispatched on the holiday itself, the window counts from the first working day after it', () => {
    // Sat 4 Oct 2025: working days after it are Thu 9 and Fri 10 Oct
    const closes = windowClosesAt(cal, working, 'returnWithin', at('2025-10-04T11:00+08:00'));
    expect(closes.toISOString()).toBe(at('2025-10-10T17:30+08:00').toISOString());
  });

  it('the assessment appeal and supervision answer windows: 3 working days, over the make-up Saturday', () => {
    // Wed 8 Oct 2025 (holiday): 9, 10 and the make-up Sat 11 Oct
    const from = at('2025-10-08T10:00+08:00');
    const expected = at('2025-10-11T17:30+08:00').toISOString();
    expect(windowClosesAt(cal, working, 'assessmentAppealWithin', from).toISOString()).toBe(expected);
    expect(windowClosesAt(cal, working, 'supervisionAnswerWithin', from).toISOString()).toBe(expected);
  });

  it('on the natural clock a window is wall-clock time (tests use seconds)', () => {
    const natural: AssessmentWindows = { clock: 'natural', ...DEFAULT_WINDOWS, returnWithin: 'PT2S' };
    const from = at('2025-10-01T10:00:00+08:00');
    expect(windowClosesAt(cal, natural, 'returnWithin', from).toISOString()).toBe(
      at('2025-10-01T10:00:02+08:00').toISOString(),
    );
    expect(windowClosesAt(cal, natural, 'assessmentAppealWithin', from).toISOString()).toBe(
      at('2025-10-04T10:00:00+08:00').toISOString(),
    );
  });
});

describe('SPEC §7.2 contestable ratings', () => {
  it.each([
    ['unsatisfied', true, true],
    ['unsatisfied', false, true],
    ['basically_satisfied', false, true],
    ['satisfied', false, true],
    ['satisfied', true, false],
    ['basically_satisfied', true, false],
  ])('%s, resolved %s → %s', (satisfaction, resolved, want) => {
    expect(isContestable({ satisfaction: satisfaction, resolved: resolved })).toBe(want);
  });
});

describe('SPEC §7.3 answering and closing supervision records', () => {
  const dept = 'd';
  it('a supervision is answered once by its department, then closed', () => {
    expect(answerProblem({ level: 'supervision', status: 'open', departmentId: dept })).toBeNull();
    expect(closeProblem({ level: 'supervision', status: 'open', departmentId: dept })).toMatch(/answered/);
    expect(answerProblem({ level: 'supervision', status: 'answered', departmentId: dept })).toMatch(
      /already/,
    );
    expect(closeProblem({ level: 'supervision', status: 'answered', departmentId: dept })).toBeNull();
    expect(closeProblem({ level: 'supervision', status: 'closed', departmentId: dept })).toMatch(/already/);
  });

  it('a reminder needs no answer and can be closed; a notice can be answered or closed', () => {
    expect(answerProblem({ level: 'reminder', status: 'open', departmentId: dept })).toMatch(/no answer/);
    expect(closeProblem({ level: 'reminder', status: 'open', departmentId: dept })).toBeNull();
    expect(answerProblem({ level: 'notice', status: 'open', departmentId: dept })).toBeNull();
    expect(closeProblem({ level: 'notice', status: 'open', departmentId: dept })).toBeNull();
  });

  it('a supervision of a case still with the centre names no department: nothing to answer, closable', () => {
    expect(answerProblem({ level: 'supervision', status: 'open', departmentId: null })).toMatch(
      /no department/,
    );
    expect(closeProblem({ level: 'supervision', status: 'open', departmentId: null })).toBeNull();
  });

  it('on time means at or before the due; no due, no verdict', () => {
    const due = at('2026-05-06T17:30+08:00');
    expect(answeredOnTime(due, due)).toBe(true);
    expect(answeredOnTime(due, new Date(due.getTime() + 1))).toBe(false);
    expect(answeredOnTime(null, due)).toBeNull();
  });
});
