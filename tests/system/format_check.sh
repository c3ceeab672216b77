#!/usr/bin/env bash
# Every C file is laid out as .clang-format says, so a diff shows what changed and not how an
# editor wrapped it. Fix with `make format`. Tables laid out by hand sit between
# "clang-format off" and "clang-format on" comments.
#
#   tests/system/format_check.sh SOURCE_DIR
set -uo pipefail
top=${1:?usage: format_check.sh SOURCE_DIR}
cd "$top" || exit 1
command -v clang-format >/dev/null || { echo "format: clang-format is missing: run make deps" >&2; exit 1; }
if git rev-parse --git-dir >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files '*.c' '*.h')
else # a source tarball
  mapfile -t files < <(find . -path ./node_modules -prune -o -path './build*' -prune -o \
    \( -name '*.c' -o -name '*.h' \) -print)
fi
[ ${#files[@]} -gt 50 ] || { echo "format: found only ${#files[@]} C files" >&2; exit 1; }
bad=()
# one clang-format for all files (a process per file took minutes on a loaded machine); only
# when that finds something, one per file to name them
if ! printf '%s\0' "${files[@]}" | xargs -0 clang-format --dry-run -Werror >/dev/null 2>&1; then
  for f in "${files[@]}"; do
    clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
  done
fi
if [ ${#bad[@]} -gt 0 ]; then
  echo "format: ${#bad[@]} of ${#files[@]} files differ from .clang-format (run make format):" >&2
  printf '  %s\n' "${bad[@]}" >&2
  exit 1
fi
echo "format: ${#files[@]} files as .clang-format says"
