import type { EntityManager } from 'typeorm';

/** A knowledge entry an answer cites, as the appeal records it (its version in force then). */
export interface CitedEntry {
  id: string;
  version: number;
  title: string;
}

/**
 * SPEC §10: an answer on the spot may cite knowledge entries, which must be published and in force. The
 * appeal knows that it records them; the knowledge room, which owns the entries, provides the check —
 * it answers the entries as cited, or throws 400 naming `knowledgeEntryIds`.
 */
export abstract class KnowledgeCitations {
  abstract check(m: EntityManager, ids: string[], now: Date): Promise<CitedEntry[]>;
}
