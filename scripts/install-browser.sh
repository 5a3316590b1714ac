#!/usr/bin/env bash
# Installs Debian's Chromium and ChromeDriver for the browser test, unless already there.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "chromium is missing and this user cannot install packages: apt-get install chromium chromium-driver" >&2
        exit 0
    fi
fi
echo "installing chromium and chromium-driver (Debian packages, ~40 s) ..."
$SUDO apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
