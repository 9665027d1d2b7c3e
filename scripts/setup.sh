#!/usr/bin/env bash
# Installs what murojaat needs on Debian (only what is missing) and builds it.
# Usage: scripts/setup.sh [BUILDDIR [MESON-OPTION...]]   ("test" extras via MJ_TEST=1)
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=(gcc meson ninja-build pkg-config libcsv-dev libcairo2-dev
      libpango1.0-dev libxlsxwriter-dev libjson-c-dev libminizip-dev libexpat1-dev
      fonts-dejavu-core)
if [ "${MJ_TEST:-0}" = 1 ]; then
  # Independent readers for tests: openpyxl for workbooks, pdftotext for PDFs;
  # clang for libFuzzer targets.
  # jq and script (util-linux) run the README's and man pages' examples.
  pkgs+=(python3-openpyxl poppler-utils clang libclang-rt-dev jq bsdutils)
  # A real browser loads the web report (tests/cli/web.sh).
  pkgs+=(chromium)
  # npm fetches the csv-spectrum cases; Debian's only when none is on PATH.
  command -v npm >/dev/null || pkgs+=(npm)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
    || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >&2
fi

builddir=${1:-build}
shift || true
if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "$@" >&2
fi
ninja -C "$builddir" >&2
