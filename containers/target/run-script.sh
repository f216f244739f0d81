#!/bin/bash
# fwprobe-run-script SCRIPT TOLERATE_FILE
# Runs a user's firewall script with `set -e` semantics, but says which line failed and lets listed,
# known-harmless failures pass. TOLERATE_FILE has one pattern a line: `s:SUBSTRING` or `r:REGEX`, matched
# against the failing command. Every failure prints a marker on stderr that fwprobe parses:
#   @@FWPROBE-FAILED line=N rc=N@@COMMAND          (the script stops)
#   @@FWPROBE-TOLERATED line=N rc=N idx=I@@COMMAND  (pattern I matched; the script goes on)
#   @@FWPROBE-ENDED rc=N@@                          (the script's last command list returned N)
# A construct the runner refuses (see below) is reported as FAILED with rc=126, after a line
# `fwprobe-run-script: WHY` on stderr. The script sees $0 = SCRIPT, so `$(dirname "$0")/x` finds files beside it.
#
# The script is sourced into this shell, so it could switch fwprobe's failure detection off by accident
# (`trap - ERR`, `set +E`, `set -o posix`, ...). What keeps it on:
# - `trap`, `set`, `exit`, `unset`, `builtin`, `command`, `enable` and `shopt` are wrapped by functions; all
#   but `shopt` are read-only, so the script can neither redefine nor unset them. The wrappers reach the
#   real builtins through POSIX mode, where special builtins are found before functions.
# - A DEBUG trap (inherited everywhere through `set -T`) runs before every command: it turns errexit and
#   POSIX mode back off and errtrace and functrace back on, and refuses `POSIXLY_CORRECT` and `exec COMMAND`.
# - Markers go to a copy of stderr made before the script runs, and are printed by /usr/bin/printf, which
#   no shell function can shadow.
# What it does not cover: commands run in another process (`bash -c`, `sh other.sh`) are judged by their
# exit status only, as under `sh -e`; and a script written to defeat the runner on purpose still can (for
# one: a nameref to POSIXLY_CORRECT used as an assignment prefix, `declare -n r=POSIX""LY_CORRECT;
# r=1 trap - ERR DEBUG`, reaches the real `trap`).

__fwprobe_patterns=()
while IFS= read -r __fwprobe_p || [ -n "$__fwprobe_p" ]; do __fwprobe_patterns+=("$__fwprobe_p"); done < "$2"
__fwprobe_script=$1
__fwprobe_tolerated_rc=
__fwprobe_user_err=
__fwprobe_user_debug=
# The script's command (and line) that a wrapper failed for: a function's failure reads `return N` in
# $BASH_COMMAND.
__fwprobe_lastcmd=
__fwprobe_lastline=
# `set -- ARGS` cannot set the caller's positional parameters from inside the `set` wrapper: the DEBUG trap,
# which runs in the caller's context, applies them before the next command.
__fwprobe_pos=()
__fwprobe_pos_pending=
__fwprobe_pos_depth=
__fwprobe_pos_apply=
# Non-empty while the DEBUG trap has work beyond its checks: parameters to set, the user's DEBUG action.
__fwprobe_slow=
__fwprobe_err_action='__fwprobe_on_error "$?" "$LINENO" "$BASH_COMMAND"'
# One line: $LINENO in a trap action counts the action's own lines. The usual case costs one `case` (one
# line of `set -x` output) on FUNCTION|FLAGS|PENDING|COMMAND, with the command's `|` taken out so that only
# the three separators remain: fwprobe's own functions, and fwprobe's ERR action (bash runs the DEBUG trap
# before a trap's action too), are skipped; so is a command with errtrace and functrace on, errexit and
# POSIX mode off and nothing pending.
__fwprobe_debug_action='case "${FUNCNAME[0]-}|${-//[!eET]/}|${POSIXLY_CORRECT+P}$__fwprobe_slow|${BASH_COMMAND//|/}" in __fwprobe_*|trap\|*|set\|*|exit\|*|unset\|*|builtin\|*|command\|*|enable\|*|*\|__fwprobe_on_error\ *) ;; *POSIXLY_CORRECT*|*\|exec[[:space:]]*) __fwprobe_check "$LINENO" "$BASH_COMMAND" ;; *\|ET\|\|*) ;; *) __fwprobe_check "$LINENO" "$BASH_COMMAND"; if [[ -n $__fwprobe_pos_apply ]]; then __fwprobe_pos_apply=; __fwprobe_slow=${__fwprobe_pos_pending:+p}${__fwprobe_pos_apply:+a}${__fwprobe_user_debug:+d}; POSIXLY_CORRECT=y; set -- "${__fwprobe_pos[@]}"; unset POSIXLY_CORRECT; fi; if [[ -n $__fwprobe_user_debug ]]; then eval "$__fwprobe_user_debug"; fi ;; esac'
# `exec` followed by a word that is not a redirection, as $BASH_COMMAND prints it.
__fwprobe_exec_re='^exec[[:space:]]+[^[:space:]<>&]+([[:space:]]|$)'
# Builtins that `builtin NAME` / `command NAME` may run for the script. The others either act on the
# calling function (local, declare, return, shift, ...) or run code (eval, source, mapfile -C, ...), which
# they would do inside fwprobe's wrapper.
__fwprobe_allowed=' echo printf cd pwd read test [ true false : type hash kill let umask ulimit wait jobs alias unalias export readonly dirs pushd popd times '
mapfile -t __fwprobe_b < <(compgen -b)
__fwprobe_builtins=" ${__fwprobe_b[*]} "
exec {__fwprobe_fd}>&2
unset FUNCNEST POSIXLY_CORRECT
readonly __fwprobe_patterns __fwprobe_script __fwprobe_fd __fwprobe_err_action __fwprobe_debug_action \
  __fwprobe_exec_re __fwprobe_allowed __fwprobe_builtins FUNCNEST

# Internal functions use no builtin that a script could shadow with a function of its own: only shell
# syntax, these read-only functions, special builtins in POSIX mode, and programs by absolute path.

__fwprobe_say() {
  /usr/bin/printf "$@" >&"$__fwprobe_fd" 2>/dev/null || /usr/bin/printf "$@" >&2 || (( 1 ))
}

__fwprobe_exit() {
  if [[ ! -o posix ]]; then POSIXLY_CORRECT=y; fi
  exit "$1"
}

__fwprobe_on_error() {
  __fwprobe_e_rc=$1 __fwprobe_e_line=$2 __fwprobe_e_cmd=$3
  if [[ -n $__fwprobe_lastcmd && $__fwprobe_e_cmd == return* && $__fwprobe_e_line == "$__fwprobe_lastline" ]]; then
    __fwprobe_e_cmd=$__fwprobe_lastcmd
  fi
  __fwprobe_lastcmd=
  __fwprobe_e_cmd=${__fwprobe_e_cmd//$'\n'/ }
  if [[ $__fwprobe_e_cmd == '. "$__fwprobe_script"' ]]; then
    # The script's last command was a tolerated failure: sourcing returns its status. That is success.
    # (A last `a && b` with a false `a` and the same status reads the same: a known, narrow blind spot.)
    if [[ $__fwprobe_e_rc == "$__fwprobe_tolerated_rc" ]]; then __fwprobe_exit 0; fi
    __fwprobe_say '\n@@FWPROBE-ENDED rc=%s@@\n' "$__fwprobe_e_rc"
    __fwprobe_exit "$__fwprobe_e_rc"
  fi
  __fwprobe_e_idx=
  for __fwprobe_e_i in "${!__fwprobe_patterns[@]}"; do
    __fwprobe_e_p=${__fwprobe_patterns[$__fwprobe_e_i]}
    # Quoted expansion: a pattern is matched literally, never evaluated.
    if [[ -z $__fwprobe_e_idx ]] && { { [[ $__fwprobe_e_p == s:* ]] && [[ $__fwprobe_e_cmd == *"${__fwprobe_e_p#s:}"* ]]; } ||
      { [[ $__fwprobe_e_p == r:* ]] && [[ $__fwprobe_e_cmd =~ ${__fwprobe_e_p#r:} ]]; }; }; then
      __fwprobe_e_idx=$__fwprobe_e_i
    fi
  done
  # The user's own ERR trap still runs, after fwprobe has taken note.
  if [[ -n $__fwprobe_e_idx ]]; then
    __fwprobe_say '\n@@FWPROBE-TOLERATED line=%s rc=%s idx=%s@@%s\n' "$__fwprobe_e_line" "$__fwprobe_e_rc" "$__fwprobe_e_idx" "$__fwprobe_e_cmd"
    __fwprobe_tolerated_rc=$__fwprobe_e_rc
    if [[ -n $__fwprobe_user_err ]]; then eval "$__fwprobe_user_err"; fi
  else
    __fwprobe_say '\n@@FWPROBE-FAILED line=%s rc=%s@@%s\n' "$__fwprobe_e_line" "$__fwprobe_e_rc" "$__fwprobe_e_cmd"
    __fwprobe_e_exit=$__fwprobe_e_rc
    if [[ -n $__fwprobe_user_err ]]; then eval "$__fwprobe_user_err"; fi
    __fwprobe_exit "$__fwprobe_e_exit"
  fi
}

# __fwprobe_refuse LINE COMMAND WHY: the runner does not run COMMAND; the script stops there.
__fwprobe_refuse() {
  __fwprobe_say 'fwprobe-run-script: %s\n' "$3"
  __fwprobe_say '\n@@FWPROBE-FAILED line=%s rc=126@@%s\n' "$1" "${2//$'\n'/ }"
  __fwprobe_exit 126
}

# Sets __fwprobe_at to the script's line that called the wrapper, and __fwprobe_depth to its call depth.
__fwprobe_caller() {
  __fwprobe_k=1
  while case ${FUNCNAME[__fwprobe_k]-} in __fwprobe_*|trap|set|exit|unset|builtin|command|enable|shopt) ;; *) (( 0 )) ;; esac; do
    __fwprobe_k=$((__fwprobe_k + 1))
  done
  __fwprobe_at=${BASH_LINENO[__fwprobe_k - 1]}
  __fwprobe_depth=$((${#FUNCNAME[@]} - __fwprobe_k))
}

# A wrapper is about to return a failure for the script's COMMAND: name COMMAND in the FAILED marker.
__fwprobe_failing() {
  __fwprobe_caller
  __fwprobe_lastcmd=$1 __fwprobe_lastline=$__fwprobe_at
}

# Run by the DEBUG trap when something is off (LINE COMMAND: the command about to run).
__fwprobe_check() {
  if [[ $2 == *POSIXLY_CORRECT* ]]; then
    __fwprobe_refuse "$1" "$2" 'POSIXLY_CORRECT is not allowed: in POSIX mode the script'"'"'s trap, set and exit would bypass fwprobe'"'"'s failure detection.'
  fi
  if [[ $2 =~ $__fwprobe_exec_re ]]; then
    __fwprobe_refuse "$1" "$2" '`exec COMMAND` is not allowed: COMMAND would replace fwprobe'"'"'s runner, and no later failure could be reported. Run COMMAND without exec.'
  fi
  # POSIX mode is on only through POSIXLY_CORRECT (set -o posix sets it too); in POSIX mode `unset` is the builtin.
  if [[ -o posix ]]; then unset POSIXLY_CORRECT 2>/dev/null || (( 1 )); fi
  if [[ -o posix ]]; then
    # Made read-only (say through a nameref): it cannot be switched off, so the script cannot go on.
    __fwprobe_refuse "$1" "$2" 'POSIX mode was switched on and cannot be switched off: the script'"'"'s trap, set and exit would bypass fwprobe'"'"'s failure detection.'
  fi
  POSIXLY_CORRECT=y
  set +e -E -T
  trap "$__fwprobe_err_action" ERR
  unset POSIXLY_CORRECT
  if [[ -n $__fwprobe_pos_pending ]]; then
    __fwprobe_k=$((${#FUNCNAME[@]} - 1))
    if (( __fwprobe_k == __fwprobe_pos_depth )); then
      __fwprobe_pos_apply=1 __fwprobe_pos_pending=
    elif (( __fwprobe_k < __fwprobe_pos_depth )); then
      # The function that ran `set -- ARGS` has returned: its parameters are gone anyway.
      __fwprobe_pos_pending=
    fi
    __fwprobe_slow=${__fwprobe_pos_pending:+p}${__fwprobe_pos_apply:+a}${__fwprobe_user_debug:+d}
  fi
}

# A bare `exit` right after a tolerated failure would exit with that failure's status.
exit() {
  __fwprobe_x_rc=$?
  if (( $# == 0 )); then
    if [[ -n $__fwprobe_tolerated_rc && $__fwprobe_x_rc == "$__fwprobe_tolerated_rc" ]]; then __fwprobe_exit 0; fi
    __fwprobe_exit "$__fwprobe_x_rc"
  fi
  POSIXLY_CORRECT=y
  exit "$@"
}

# `trap ACTION ERR` would replace fwprobe's handler: keep the user's action and run it from ours. The same
# for DEBUG. The forms that reset a trap are bash's: `trap - SIG`, `trap SIG` (one signal name alone),
# `trap N SIG...` (a signal number first), with names in any case.
trap() {
  __fwprobe_t_args=("$@") __fwprobe_t_i=0 __fwprobe_t_rc=0 __fwprobe_t_ours=
  if [[ ${__fwprobe_t_args[0]-} == -- ]]; then __fwprobe_t_i=1; fi
  __fwprobe_t_first=${__fwprobe_t_args[__fwprobe_t_i]-}
  __fwprobe_t_n=$(($# - __fwprobe_t_i))
  if (( __fwprobe_t_n > 0 )) && ! { (( __fwprobe_t_i == 0 )) && [[ $__fwprobe_t_first == -?* ]]; }; then
    if [[ $__fwprobe_t_first =~ ^[0-9]+$ ]] && (( 10#$__fwprobe_t_first < 65 )); then
      __fwprobe_t_action=- __fwprobe_t_sigs=("${__fwprobe_t_args[@]:__fwprobe_t_i}")
    elif (( __fwprobe_t_n == 1 )); then
      __fwprobe_t_action=- __fwprobe_t_sigs=("$__fwprobe_t_first")
    else
      __fwprobe_t_action=$__fwprobe_t_first __fwprobe_t_sigs=("${__fwprobe_t_args[@]:__fwprobe_t_i + 1}")
    fi
    __fwprobe_t_others=()
    for __fwprobe_t_s in "${__fwprobe_t_sigs[@]}"; do
      case ${__fwprobe_t_s^^} in
        ERR) __fwprobe_t_ours=1; if [[ $__fwprobe_t_action == - ]]; then __fwprobe_user_err=; else __fwprobe_user_err=$__fwprobe_t_action; fi ;;
        DEBUG) __fwprobe_t_ours=1; if [[ $__fwprobe_t_action == - ]]; then __fwprobe_user_debug=; else __fwprobe_user_debug=$__fwprobe_t_action; fi ;;
        *) __fwprobe_t_others+=("$__fwprobe_t_s") ;;
      esac
    done
    __fwprobe_slow=${__fwprobe_pos_pending:+p}${__fwprobe_pos_apply:+a}${__fwprobe_user_debug:+d}
  fi
  if [[ -z $__fwprobe_t_ours ]]; then
    # Listing (-p, -l, no arguments) or other signals only: exactly what the script asked.
    POSIXLY_CORRECT=y
    trap "$@" || __fwprobe_t_rc=$?
    unset POSIXLY_CORRECT
  elif (( ${#__fwprobe_t_others[@]} > 0 )); then
    POSIXLY_CORRECT=y
    trap -- "$__fwprobe_t_action" "${__fwprobe_t_others[@]}" || __fwprobe_t_rc=$?
    unset POSIXLY_CORRECT
  fi
  if (( __fwprobe_t_rc != 0 )); then __fwprobe_failing "trap $*"; return "$__fwprobe_t_rc"; fi
}

# `set -e` would make bash exit right after a tolerated failure; fwprobe's ERR handler already stops the
# script at any other failure, so errexit is dropped. errtrace and functrace stay on and POSIX mode off:
# the real `set` runs, then the runner puts those back. Positional parameters (`set -- a b`) are passed
# to the DEBUG trap, which sets them in the caller's context.
set() {
  __fwprobe_s_args=("$@") __fwprobe_s_opts=() __fwprobe_s_i=0 __fwprobe_s_rc=0 __fwprobe_s_havepos=
  __fwprobe_s_newpos=()
  while (( __fwprobe_s_i < $# )); do
    __fwprobe_s_a=${__fwprobe_s_args[__fwprobe_s_i]}
    case $__fwprobe_s_a in
      --) __fwprobe_s_havepos=1 __fwprobe_s_newpos=("${__fwprobe_s_args[@]:__fwprobe_s_i + 1}") __fwprobe_s_i=$# ;;
      -)
        __fwprobe_s_opts+=(+x +v)
        if (( __fwprobe_s_i + 1 < $# )); then __fwprobe_s_havepos=1 __fwprobe_s_newpos=("${__fwprobe_s_args[@]:__fwprobe_s_i + 1}"); fi
        __fwprobe_s_i=$# ;;
      [-+]*o*)
        # `-o NAME` (or `-eo NAME`): the next argument is an option name.
        __fwprobe_s_opts+=("$__fwprobe_s_a")
        if (( __fwprobe_s_i + 1 < $# )); then __fwprobe_s_opts+=("${__fwprobe_s_args[__fwprobe_s_i + 1]}"); fi
        __fwprobe_s_i=$((__fwprobe_s_i + 2)) ;;
      [-+]?*) __fwprobe_s_opts+=("$__fwprobe_s_a") __fwprobe_s_i=$((__fwprobe_s_i + 1)) ;;
      *) __fwprobe_s_havepos=1 __fwprobe_s_newpos=("${__fwprobe_s_args[@]:__fwprobe_s_i}") __fwprobe_s_i=$# ;;
    esac
  done
  if [[ $# == 1 && ( $1 == -o || $1 == +o ) ]]; then
    # The listing, without the POSIX mode the real `set` would run in.
    if [[ $1 == -o ]]; then __fwprobe_shopt -o || __fwprobe_s_rc=$?; else __fwprobe_shopt -op || __fwprobe_s_rc=$?; fi
  elif (( ${#__fwprobe_s_opts[@]} > 0 || $# == 0 )); then
    POSIXLY_CORRECT=y
    set "${__fwprobe_s_opts[@]}" || __fwprobe_s_rc=$?
    POSIXLY_CORRECT=y
    set +e -E -T
    unset POSIXLY_CORRECT
  fi
  if [[ -n $__fwprobe_s_havepos ]]; then
    __fwprobe_caller
    __fwprobe_pos=("${__fwprobe_s_newpos[@]}") __fwprobe_pos_depth=$__fwprobe_depth __fwprobe_pos_pending=1
    __fwprobe_slow=${__fwprobe_pos_pending:+p}${__fwprobe_pos_apply:+a}${__fwprobe_user_debug:+d}
  fi
  if (( __fwprobe_s_rc != 0 )); then __fwprobe_failing "set $*"; return "$__fwprobe_s_rc"; fi
}

# `shopt -u extdebug` turns errtrace and functrace off, `shopt -so posix` turns POSIX mode on: the real
# `shopt` runs, then the runner puts those back. `shopt` is the one wrapper that is not read-only: it
# removes itself around the real call (the `unset` wrapper keeps the script from doing the same).
shopt() { __fwprobe_shopt "$@" || return; }
__fwprobe_shopt() {
  __fwprobe_h_rc=0
  POSIXLY_CORRECT=y
  unset -f shopt
  unset POSIXLY_CORRECT
  shopt "$@" || __fwprobe_h_rc=$?
  POSIXLY_CORRECT=y
  set +e -E -T
  eval 'shopt() { __fwprobe_shopt "$@" || return; }'
  unset POSIXLY_CORRECT
  if (( __fwprobe_h_rc != 0 )); then __fwprobe_failing "shopt $*"; return "$__fwprobe_h_rc"; fi
}

unset() {
  __fwprobe_u_rc=0 __fwprobe_u_vars=
  for __fwprobe_u_a in "$@"; do
    case $__fwprobe_u_a in
      -*v*) __fwprobe_u_vars=1 ;;
      shopt) if [[ -z $__fwprobe_u_vars ]]; then
          __fwprobe_caller
          __fwprobe_refuse "$__fwprobe_at" "unset $*" 'fwprobe'"'"'s shopt wrapper cannot be removed.'
        fi ;;
    esac
  done
  POSIXLY_CORRECT=y
  unset "$@" || __fwprobe_u_rc=$?
  if [[ -v POSIXLY_CORRECT ]]; then unset POSIXLY_CORRECT; fi
  if (( __fwprobe_u_rc != 0 )); then __fwprobe_failing "unset $*"; return "$__fwprobe_u_rc"; fi
}

enable() {
  __fwprobe_caller
  __fwprobe_refuse "$__fwprobe_at" "enable $*" '`enable` is not allowed: it could disable builtins that fwprobe'"'"'s failure detection needs.'
}

# __fwprobe_route WRAPPER NAME ARGS...: runs the builtin NAME for `builtin NAME` / `command NAME`.
__fwprobe_route() {
  __fwprobe_r_rc=0
  case $2 in
    trap|set|exit|unset|enable|builtin|command) "${@:2}" || __fwprobe_r_rc=$? ;;
    shopt) __fwprobe_shopt "${@:3}" || __fwprobe_r_rc=$? ;;
    *)
      if [[ $__fwprobe_allowed != *" $2 "* ]]; then
        __fwprobe_caller
        __fwprobe_refuse "$__fwprobe_at" "$*" "\`$1 $2\` is not supported in a fwprobe script (it would run inside fwprobe's wrapper function). Write \`$2 ...\` without \`$1\`."
      fi
      __fwprobe_r_def=
      if [[ $(type -t -- "$2" || (( 1 ))) == function ]]; then
        # The script's own function of that name (say `echo() { builtin echo "[fw] $*"; }`) steps aside.
        __fwprobe_r_def=$(declare -f -- "$2")
        POSIXLY_CORRECT=y
        unset -f -- "$2" || __fwprobe_r_rc=$?
        unset POSIXLY_CORRECT
      fi
      if (( __fwprobe_r_rc == 0 )); then "${@:2}" || __fwprobe_r_rc=$?; fi
      if [[ -n $__fwprobe_r_def ]]; then eval "$__fwprobe_r_def"; fi ;;
  esac
  if (( __fwprobe_r_rc != 0 )); then __fwprobe_failing "$*"; return "$__fwprobe_r_rc"; fi
}

builtin() {
  if (( $# == 0 )); then return 0; fi
  __fwprobe_b_rc=0
  if [[ $1 == -- ]]; then
    builtin "${@:2}" || __fwprobe_b_rc=$?
    return "$__fwprobe_b_rc"
  fi
  if [[ $__fwprobe_builtins != *" $1 "* ]]; then
    __fwprobe_say 'bash: builtin: %s: not a shell builtin\n' "$1"
    __fwprobe_failing "builtin $*"
    return 1
  fi
  __fwprobe_route builtin "$@" || __fwprobe_b_rc=$?
  return "$__fwprobe_b_rc"
}

command() {
  __fwprobe_c_p= __fwprobe_c_v= __fwprobe_c_i=1 __fwprobe_c_rc=0
  while (( __fwprobe_c_i <= $# )) && [[ ${!__fwprobe_c_i} == -?* ]]; do
    __fwprobe_c_a=${!__fwprobe_c_i}
    __fwprobe_c_i=$((__fwprobe_c_i + 1))
    if [[ $__fwprobe_c_a == -- ]]; then break; fi
    if [[ $__fwprobe_c_a == *[!-pvV]* || $__fwprobe_c_a == -*-* ]]; then
      __fwprobe_say 'bash: command: %s: invalid option\ncommand: usage: command [-pVv] command [arg ...]\n' "$__fwprobe_c_a"
      __fwprobe_failing "command $*"
      return 2
    fi
    if [[ $__fwprobe_c_a == *p* ]]; then __fwprobe_c_p=1; fi
    if [[ $__fwprobe_c_a == *[vV]* ]]; then __fwprobe_c_v=${__fwprobe_c_a//[^vV]/}; __fwprobe_c_v=${__fwprobe_c_v: -1}; fi
  done
  __fwprobe_c_args=("${@:__fwprobe_c_i}")
  if (( ${#__fwprobe_c_args[@]} == 0 )); then return 0; fi
  __fwprobe_c_path=$PATH
  if [[ -n $__fwprobe_c_p ]]; then __fwprobe_c_path=/bin:/usr/bin; fi  # bash's `command -p` path (confstr _CS_PATH)
  if [[ -n $__fwprobe_c_v ]]; then
    # `command -v` / `-V`, from `type`: the real `command` is out of the script's reach.
    for __fwprobe_c_n in "${__fwprobe_c_args[@]}"; do
      __fwprobe_c_t=$(PATH=$__fwprobe_c_path type -t -- "$__fwprobe_c_n" || (( 1 )))
      if [[ -z $__fwprobe_c_t ]]; then
        __fwprobe_c_rc=1
        if [[ $__fwprobe_c_v == V ]]; then __fwprobe_say 'bash: command: %s: not found\n' "$__fwprobe_c_n"; fi
      elif [[ $__fwprobe_c_v == V ]]; then
        PATH=$__fwprobe_c_path type -- "$__fwprobe_c_n"
      elif [[ $__fwprobe_c_t == alias ]]; then
        alias -- "$__fwprobe_c_n"
      elif [[ $__fwprobe_c_t == file ]]; then
        PATH=$__fwprobe_c_path type -P -- "$__fwprobe_c_n"
      else
        /usr/bin/printf '%s\n' "$__fwprobe_c_n"
      fi
    done
    if (( __fwprobe_c_rc != 0 )); then __fwprobe_failing "command $*"; return "$__fwprobe_c_rc"; fi
    return 0
  fi
  __fwprobe_c_n=${__fwprobe_c_args[0]}
  if [[ $__fwprobe_builtins == *" $__fwprobe_c_n "* ]]; then
    __fwprobe_route command "${__fwprobe_c_args[@]}" || __fwprobe_c_rc=$?
    return "$__fwprobe_c_rc"
  fi
  if [[ $__fwprobe_c_n == */* ]]; then
    __fwprobe_c_file=$__fwprobe_c_n
  else
    __fwprobe_c_file=$(PATH=$__fwprobe_c_path type -P -- "$__fwprobe_c_n" || (( 1 )))
  fi
  if [[ -z $__fwprobe_c_file ]]; then
    __fwprobe_say 'bash: %s: command not found\n' "$__fwprobe_c_n"
    __fwprobe_failing "command $*"
    return 127
  fi
  # By path, so that no function of the same name runs (`iptables() { command iptables -w "$@"; }`).
  "$__fwprobe_c_file" "${__fwprobe_c_args[@]:1}" || __fwprobe_c_rc=$?
  if (( __fwprobe_c_rc != 0 )); then __fwprobe_failing "command $*"; return "$__fwprobe_c_rc"; fi
}

__fwprobe_arm() {
  POSIXLY_CORRECT=y
  set -E -T
  trap "$__fwprobe_err_action" ERR
  trap "$__fwprobe_debug_action" DEBUG
  unset POSIXLY_CORRECT
}

readonly -f __fwprobe_say __fwprobe_exit __fwprobe_on_error __fwprobe_refuse __fwprobe_caller __fwprobe_failing __fwprobe_check \
  __fwprobe_shopt __fwprobe_route __fwprobe_arm exit trap set unset enable builtin command
__fwprobe_arm
# The script sees no arguments, as under `sh firewall.sh`, and its own path as $0.
shift $#
BASH_ARGV0=$__fwprobe_script
# shellcheck disable=SC1090
. "$__fwprobe_script"
