#!/usr/bin/env bash
# Installs what murojaat needs on Debian (only what is missing) and builds it.
# Usage: scripts/setup.sh [BUILDDIR [MESON-OPTION...]]   ("test" extras via MJ_TEST=1)
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=(gcc meson ninja-build pkg-config libcsv-dev libcairo2-dev libpng-dev
      zlib1g-dev libpango1.0-dev libxlsxwriter-dev libjson-c-dev libminizip-dev libexpat1-dev
      fonts-dejavu-core gettext)
if [ "${MJ_TEST:-0}" = 1 ]; then
  # Independent readers for tests: openpyxl for workbooks, pdftotext for PDFs;
  # clang for libFuzzer targets.
  # jq and script (util-linux) run the README's and man pages' examples.
  pkgs+=(python3-openpyxl poppler-utils clang libclang-rt-dev jq bsdutils)
  # Messages in Russian and Uzbek (tests/cli/i18n.sh): the locales' data.
  pkgs+=(locales)
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

# The locales the message tests run in. Without them the programs still
# speak the language a locale names (through LANGUAGE under C.UTF-8), but a
# real user has them generated, so the tests use them where they can.
if [ "${MJ_TEST:-0}" = 1 ] && command -v localedef >/dev/null; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  for spec in ru_RU:ru_RU.UTF-8 uz_UZ:uz_UZ.UTF-8 uz_UZ@cyrillic:uz_UZ.UTF-8@cyrillic; do
    src=${spec%%:*} name=${spec#*:}
    norm=$(echo "$name" | sed 's/UTF-8/utf8/')
    locale -a 2>/dev/null | grep -qx "$norm" && continue
    echo "setup: generating the locale $name" >&2
    $sudo localedef -i "$src" -f UTF-8 "$name" >&2 ||
      echo "setup: could not generate $name; tests fall back to LANGUAGE" >&2
  done
fi

builddir=${1:-build}
shift || true
if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "$@" >&2
fi
ninja -C "$builddir" >&2
