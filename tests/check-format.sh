#!/bin/sh
# Checks the project's C sources against the root .clang-format. Prints TAP.
set -u
srcdir=${1:?usage: check-format.sh SOURCE_DIR}
cd "$srcdir" || exit 1
echo "1..1"
if ! command -v clang-format >/dev/null 2>&1; then
  echo "ok 1 # SKIP clang-format is not installed"
  exit 0
fi
bad=$(find app sync hub ui tests -name '*.[ch]' 2>/dev/null | sort | while read -r f; do
  clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || echo "$f"
done)
if [ -z "$bad" ]; then
  echo "ok 1 sources follow .clang-format"
else
  echo "$bad" | sed 's/^/# not formatted: /'
  echo "# fix with: clang-format -i FILE"
  echo "not ok 1 sources follow .clang-format"
  exit 1
fi
