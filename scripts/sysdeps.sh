#!/usr/bin/env bash
# Checks the Debian/Ubuntu packages SecDesk needs (DESIGN.md §6).
# As root on a fresh machine it installs what is missing; otherwise it prints
# the exact apt line and stops, so nobody is surprised by a sudo prompt.
set -euo pipefail
PKGS="libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 \
libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 \
libxcb-render-util0 libxcb-shape0 xvfb xauth fonts-liberation2 poppler-utils binutils"
[ $# -gt 0 ] && PKGS="$PKGS $*"
command -v dpkg-query >/dev/null 2>&1 || { echo "sysdeps: not a Debian system, skipping the package check"; exit 0; }
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ]; then
  echo "sysdeps: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
  echo "SecDesk needs these system packages. Run:"
  echo "  sudo apt-get install -y$missing"
  exit 1
fi
