#!/usr/bin/env bash
# Builds the admin theme keycloak-m2m (run by spi's Maven build, phase generate-resources):
# `npm ci` from the committed package-lock.json (npm registry only), then the Vite build into target/dist.
# Each step is skipped when its inputs have not changed since it last ran (the build is CPU-heavy).
set -euo pipefail
cd "$(dirname "$0")"

command -v node >/dev/null && command -v npm >/dev/null || {
  echo "theme: Node.js 20+ and npm are needed to build the admin theme (scripts/lib/prerequisites installs them)" >&2
  exit 1
}

if [ ! -f node_modules/.keycloak-m2m-lock ] || ! cmp -s package-lock.json node_modules/.keycloak-m2m-lock; then
  echo "theme: npm ci"
  npm ci --no-audit --no-fund --ignore-scripts
  cp package-lock.json node_modules/.keycloak-m2m-lock
fi

stamp=target/dist/.vite/manifest.json
if [ ! -f "$stamp" ] || [ -n "$(find src package-lock.json vite.config.ts tsconfig.json -newer "$stamp" -print -quit)" ]; then
  echo "theme: vite build"
  npx --no-install vite build --logLevel warn
else
  echo "theme: up to date ($stamp)"
fi
