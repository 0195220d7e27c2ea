#!/bin/bash
# check-format.sh SOURCE_DIR - every C and C++ source matches .clang-format.
set -euo pipefail
cd "$1"
# tests/legacy keeps the K&R style of the PVM 3.4 era on purpose.
git ls-files '*.c' '*.h' '*.cpp' '*.hpp' ':!tests/legacy' 2>/dev/null | xargs clang-format --dry-run -Werror
