#!/bin/bash
# fwprobe-run-script SCRIPT TOLERATE_FILE
# Runs a user's firewall script with `set -e` semantics, but says which line failed and lets listed,
# known-harmless failures pass. TOLERATE_FILE has one pattern a line: `s:SUBSTRING` or `r:REGEX`, matched
# against the failing command. Every failure prints a marker on stderr that fwprobe parses:
#   @@FWPROBE-FAILED line=N rc=N@@COMMAND          (the script stops)
#   @@FWPROBE-TOLERATED line=N rc=N idx=I@@COMMAND  (pattern I matched; the script goes on)
__fwprobe_patterns=()
while IFS= read -r __fwprobe_p || [ -n "$__fwprobe_p" ]; do __fwprobe_patterns+=("$__fwprobe_p"); done < "$2"

__fwprobe_tolerated_rc=

__fwprobe_on_error() {
  local rc=$1 line=$2 cmd=$3 i p
  cmd=${cmd//$'\n'/ }
  # The script's own last command was a tolerated failure: `. "$1"` returns its status. That is success.
  if [[ $cmd == '. "$1"' ]] && [[ $rc == "$__fwprobe_tolerated_rc" ]]; then exit 0; fi
  for i in "${!__fwprobe_patterns[@]}"; do
    p=${__fwprobe_patterns[$i]}
    # Quoted expansion: a pattern is matched literally, never evaluated.
    if { [[ $p == s:* ]] && [[ $cmd == *"${p#s:}"* ]]; } || { [[ $p == r:* ]] && [[ $cmd =~ ${p#r:} ]]; }; then
      printf '\n@@FWPROBE-TOLERATED line=%s rc=%s idx=%s@@%s\n' "$line" "$rc" "$i" "$cmd" >&2
      __fwprobe_tolerated_rc=$rc
      return 0
    fi
  done
  printf '\n@@FWPROBE-FAILED line=%s rc=%s@@%s\n' "$line" "$rc" "$cmd" >&2
  exit "$rc"
}
# A bare `exit` right after a tolerated failure would exit with that failure's status. (Outside POSIX mode,
# bash looks up functions before builtins, so this covers the user's script.)
exit() {
  local rc=$?
  if [ $# -eq 0 ] && [ -n "$__fwprobe_tolerated_rc" ] && [ "$rc" = "$__fwprobe_tolerated_rc" ]; then builtin exit 0; fi
  builtin exit "$@"
}
set -E
trap '__fwprobe_on_error "$?" "$LINENO" "$BASH_COMMAND"' ERR
# shellcheck disable=SC1090
. "$1"
