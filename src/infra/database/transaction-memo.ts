import type { EntityManager } from 'typeorm';

/**
 * Reference data read once per transaction: keyed by the transaction's EntityManager and gone with it.
 * A batch that dispatches fifty appeals in one transaction reads the SLA policies, the calendar and the
 * departments once, not fifty times. Outside a transaction nothing is kept.
 */
export class TransactionMemo {
  private readonly byTransaction = new WeakMap<EntityManager, Map<string, Promise<unknown>>>();

  get<V>(m: EntityManager, key: string, load: () => Promise<V>): Promise<V> {
    if (!m.queryRunner?.isTransactionActive) return load();
    let memo = this.byTransaction.get(m);
    if (!memo) this.byTransaction.set(m, (memo = new Map()));
    let value = memo.get(key) as Promise<V> | undefined;
    if (!value) memo.set(key, (value = load()));
    return value;
  }
}
