#!/bin/sh
# One sentinel of docker-compose.ha.yml. Sentinel rewrites its configuration file, so it is written
# afresh into the container at start; the master is found by its service name.
set -eu
cat > /tmp/sentinel.conf <<CONF
port 26379
sentinel resolve-hostnames yes
sentinel announce-hostnames yes
sentinel announce-ip ${ANNOUNCE_HOST}
sentinel monitor ${REDIS_SENTINEL_NAME} redis-master 6379 2
sentinel down-after-milliseconds ${REDIS_SENTINEL_NAME} ${DOWN_AFTER_MS:-5000}
sentinel failover-timeout ${REDIS_SENTINEL_NAME} 30000
sentinel parallel-syncs ${REDIS_SENTINEL_NAME} 1
CONF
exec redis-server /tmp/sentinel.conf --sentinel
