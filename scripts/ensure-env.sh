#!/bin/sh
# Makes a fresh machine ready for the README's two commands: installs the Debian packages the local stack runs
# (pebble, bind9, dig; chromium for the HTML report's screenshot test; lego and certbot for the benchmark) when they
# are missing, and the npm dependencies from the lockfile when node_modules is absent. Idempotent and quiet when everything is there.
set -eu
cd "$(dirname "$0")/.."

need=""
[ -x /usr/bin/pebble ] || need="$need pebble"
[ -x /usr/sbin/named ] || need="$need bind9"
command -v dig >/dev/null 2>&1 || need="$need bind9-dnsutils"
command -v chromium >/dev/null 2>&1 || need="$need chromium"
if [ -n "$need" ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "ensure-env: installing Debian packages:$need" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
  else
    echo "ensure-env: missing Debian packages:$need (run: sudo apt-get install -y$need)" >&2
    exit 1
  fi
fi

if [ ! -x node_modules/.bin/vitest ] || [ ! -x node_modules/.bin/node ]; then
  echo "ensure-env: installing npm dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund >/dev/null
fi
