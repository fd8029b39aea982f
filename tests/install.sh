#!/usr/bin/env bash
# Installs what the test suite needs: the pinned Python packages, and Debian's Chromium
# plus CJK and emoji fonts for the browser tests (never `playwright install`: it downloads).
# The emoji font draws the queue's 🔔 and the like in screenshots, as a viewer's phone does.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q --disable-pip-version-check -r requirements.txt
if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || ! fc-list 2>/dev/null | grep -qi "Noto Color Emoji"; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-cjk fonts-noto-color-emoji >/dev/null
fi
