#!/bin/bash
# fwprobe-run-script SCRIPT TOLERATE_FILE
# Runs a user's firewall script with `set -e` semantics, but says which line failed and lets listed,
# known-harmless failures pass. TOLERATE_FILE has one pattern a line: `s:SUBSTRING` or `r:REGEX`, matched
# against the failing command. Every failure prints a marker on stderr that fwprobe parses:
#   @@FWPROBE-FAILED line=N rc=N@@COMMAND          (the script stops)
#   @@FWPROBE-TOLERATED line=N rc=N idx=I@@COMMAND  (pattern I matched; the script goes on)
#   @@FWPROBE-ENDED rc=N@@                          (the script's last command list returned N)
__fwprobe_patterns=()
while IFS= read -r __fwprobe_p || [ -n "$__fwprobe_p" ]; do __fwprobe_patterns+=("$__fwprobe_p"); done < "$2"
__fwprobe_script=$1
__fwprobe_tolerated_rc=
__fwprobe_user_err=

__fwprobe_on_error() {
  local rc=$1 line=$2 cmd=$3 i p
  cmd=${cmd//$'\n'/ }
  if [[ $cmd == '. "$__fwprobe_script"' ]]; then
    # The script's last command was a tolerated failure: sourcing returns its status. That is success.
    # (A last `a && b` with a false `a` and the same status reads the same: a known, narrow blind spot.)
    if [[ $rc == "$__fwprobe_tolerated_rc" ]]; then builtin exit 0; fi
    printf '\n@@FWPROBE-ENDED rc=%s@@\n' "$rc" >&2
    builtin exit "$rc"
  fi
  # The user's own ERR trap still runs, after fwprobe has taken note.
  for i in "${!__fwprobe_patterns[@]}"; do
    p=${__fwprobe_patterns[$i]}
    # Quoted expansion: a pattern is matched literally, never evaluated.
    if { [[ $p == s:* ]] && [[ $cmd == *"${p#s:}"* ]]; } || { [[ $p == r:* ]] && [[ $cmd =~ ${p#r:} ]]; }; then
      printf '\n@@FWPROBE-TOLERATED line=%s rc=%s idx=%s@@%s\n' "$line" "$rc" "$i" "$cmd" >&2
      __fwprobe_tolerated_rc=$rc
      if [ -n "$__fwprobe_user_err" ]; then eval "$__fwprobe_user_err"; fi
      return 0
    fi
  done
  printf '\n@@FWPROBE-FAILED line=%s rc=%s@@%s\n' "$line" "$rc" "$cmd" >&2
  if [ -n "$__fwprobe_user_err" ]; then eval "$__fwprobe_user_err"; fi
  builtin exit "$rc"
}

# The user's script must not switch fwprobe's failure detection off. Outside POSIX mode bash looks up
# functions before builtins, so these wrap the script's own `exit`, `trap` and `set`.

# A bare `exit` right after a tolerated failure would exit with that failure's status.
exit() {
  local rc=$?
  if [ $# -eq 0 ]; then
    if [ -n "$__fwprobe_tolerated_rc" ] && [ "$rc" = "$__fwprobe_tolerated_rc" ]; then builtin exit 0; fi
    builtin exit "$rc"
  fi
  builtin exit "$@"
}

# `trap ACTION ERR` would replace fwprobe's handler: keep the user's action and run it from ours.
trap() {
  local action sig others=()
  if [ "${1:-}" = -- ]; then shift; fi
  if [ $# -lt 2 ] || [[ ${1:-} == -[lp] ]]; then builtin trap "$@"; return; fi
  action=$1; shift
  for sig in "$@"; do
    if [ "$sig" = ERR ]; then
      if [ "$action" = - ]; then __fwprobe_user_err=; else __fwprobe_user_err=$action; fi
    else
      others+=("$sig")
    fi
  done
  if [ ${#others[@]} -gt 0 ]; then builtin trap -- "$action" "${others[@]}"; fi
}

# `set -e` would make bash exit right after a tolerated failure; fwprobe's ERR handler already stops the
# script at any other failure, so errexit is dropped (and `set +e` cannot switch failure detection off).
set() {
  local args=() a
  for a in "$@"; do
    case $a in
      errexit) if [ "${args[-1]:-}" = -o ] || [ "${args[-1]:-}" = +o ]; then unset 'args[-1]'; else args+=("$a"); fi ;;
      -*|+*) a=${a//e/}; if [ "$a" != - ] && [ "$a" != + ]; then args+=("$a"); fi ;;
      *) args+=("$a") ;;
    esac
  done
  if [ ${#args[@]} -gt 0 ]; then builtin set "${args[@]}"; fi
}

builtin set -E
builtin trap '__fwprobe_on_error "$?" "$LINENO" "$BASH_COMMAND"' ERR
# The script sees no arguments, as under `sh firewall.sh`.
shift $#
# shellcheck disable=SC1090
. "$__fwprobe_script"
