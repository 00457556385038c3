#!/usr/bin/env bash
# Installs the Debian packages dataprep links against, if any is missing.
# Needs root (or sudo) only when something must be installed.
# `--with-test-tools` adds what the test suite uses when present: chromium (opens the HTML
# reports headless), python3-numpy (loads the .npy outputs) and Open MPI (openmpi-bin for
# mpirun, libopenmpi-dev for libmpi.so.40: the distributed tests run `mpirun -np 2` and
# `-np 3`); tests skip without them. dataprep itself needs no MPI to build or run: it loads
# libmpi only when started by mpirun/srun.
set -euo pipefail
packages=(libjpeg-dev libpng-dev libopenblas-dev zlib1g-dev libdeflate-dev libarchive-dev libssl-dev libcairo2-dev fonts-dejavu-core pkg-config)
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
if [ "${1:-}" = "--with-test-tools" ]; then
  optional=()
  command -v chromium >/dev/null || command -v chromium-browser >/dev/null || optional+=(chromium)
  python3 -c 'import numpy' 2>/dev/null || optional+=(python3-numpy)
  command -v mpirun >/dev/null || optional+=(openmpi-bin)
  dpkg -s libopenmpi-dev >/dev/null 2>&1 || optional+=(libopenmpi-dev)
  if [ ${#optional[@]} -gt 0 ]; then
    echo "installing test tools: ${optional[*]} (their tests skip if this fails)" >&2
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${optional[@]}" >/dev/null; } \
      || echo "warning: could not install ${optional[*]}; the tests that need them will skip" >&2
  fi
fi
command -v swift >/dev/null || { echo "swift not found: install the Swift 6 toolchain (swift.org) and put it on PATH" >&2; exit 1; }
