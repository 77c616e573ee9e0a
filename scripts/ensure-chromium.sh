#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when it is missing (root on a fresh machine).
set -euo pipefail
CHROME="${CHROME_PATH:-/usr/bin/chromium}"
if [ -x "$CHROME" ]; then exit 0; fi
echo "Chromium is missing: installing Debian's chromium package" >&2
if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium >/dev/null
[ -x "$CHROME" ] || { echo "Chromium still missing at $CHROME" >&2; exit 1; }
