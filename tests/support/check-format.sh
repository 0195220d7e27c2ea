#!/bin/bash
# check-format.sh SOURCE_DIR - every C and C++ source matches .clang-format.
set -euo pipefail
cd "$1"
git ls-files '*.c' '*.h' '*.cpp' '*.hpp' 2>/dev/null | xargs clang-format --dry-run -Werror
