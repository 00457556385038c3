#!/usr/bin/env bash
# Installs the Debian packages dataprep links against, if any is missing.
# Needs root (or sudo) only when something must be installed.
set -euo pipefail
packages=(libjpeg-dev libpng-dev libopenblas-dev zlib1g-dev libdeflate-dev pkg-config)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "swift not found: install the Swift 6 toolchain (swift.org) and put it on PATH" >&2; exit 1; }
