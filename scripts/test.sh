#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, checks that Fixtures/ matches its
# generator byte for byte, and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --with-test-tools
swift build
.build/debug/make-fixtures --check Fixtures
swift test
