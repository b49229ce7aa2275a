import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { forbiddenAddress } from './webhook-target';

/** The error code of a delivery refused because the target resolved to a forbidden address. */
export const FORBIDDEN_TARGET = 'ERR_WEBHOOK_TARGET_FORBIDDEN';

/**
 * The DNS lookup a delivery's socket uses: the system resolver, then a refusal when any address the
 * name resolves to is link-local or cloud metadata (webhook-target). It runs inside the connection, on
 * the addresses the socket then connects to, so a name cannot pass a check and be re-pointed before the
 * connection (DNS rebinding). Answers in the shape the caller asked for (`all` or one address).
 */
export const targetLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '', 0);
    const refused = addresses.find((a) => forbiddenAddress(a.address));
    if (refused || addresses.length === 0) {
      const error: NodeJS.ErrnoException = new Error('the target resolves to a forbidden address');
      error.code = refused ? FORBIDDEN_TARGET : 'ENOTFOUND';
      return callback(error, '', 0);
    }
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
};
