#!/usr/bin/env bash
# Installs the Debian packages the test suite runs for real (redis-server, chromium, script), when
# missing. Idempotent and non-interactive: safe to run as root with no stdin, on every
# `pnpm test`; a package still missing afterwards is a failure, never a skip.
# Add a package as "<file or command it provides>:<Debian package>".
set -euo pipefail

needed=(
  "redis-server:redis-server"
  "/usr/bin/chromium:chromium"
  "script:bsdutils"
)

present() {
  if [[ $1 == /* ]]; then [[ -x $1 ]]; else command -v "$1" >/dev/null 2>&1; fi
}

missing=()
for entry in "${needed[@]}"; do
  present "${entry%%:*}" || missing+=("${entry#*:}")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-system-packages: missing ${missing[*]} and no apt-get to install them" >&2
  exit 1
fi
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "ensure-system-packages: missing ${missing[*]}; run as root to install them" >&2
    exit 1
  fi
  sudo=(sudo -n)
fi
echo "ensure-system-packages: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq </dev/null
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null

for entry in "${needed[@]}"; do
  if ! present "${entry%%:*}"; then
    echo "ensure-system-packages: ${entry#*:} installed but ${entry%%:*} is still missing" >&2
    exit 1
  fi
done
