import type { EntityManager } from 'typeorm';

/**
 * What ends the departments' part in an appeal that leaves the loop (withdrawn, merged): their open
 * assignments end, pending extension requests are denied, pending return requests lapse. The appeal
 * knows the rule; the assignments room, which owns those rows, provides it.
 */
export abstract class AssignmentRelease {
  abstract endOpen(m: EntityManager, appealId: string, now: Date, why: string): Promise<void>;
}
