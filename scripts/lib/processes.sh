# shellcheck shell=bash
# Child processes recorded in pid files, for run.sh and its watchdog. Functions only: sourcing starts nothing.
# A pid file holds "PID STARTTIME" (the kernel's start time of the process, in clock ticks since boot), so a pid
# the kernel has since given to another process is never signalled. Without /proc the start time is "-".

_proc_stat_field() {
  # _proc_stat_field PID INDEX: a field of /proc/PID/stat counted after the command name (0 = state,
  # 19 = start time); fails when the process is gone. The name sits in parentheses and may hold spaces.
  local stat fields
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  read -r -a fields <<<"${stat##*) }"
  printf '%s\n' "${fields[$2]}"
}

proc_record() {
  # proc_record PID: prints the line a pid file holds for PID.
  local start=-
  if [ -r "/proc/$1/stat" ]; then start=$(_proc_stat_field "$1" 19 || echo -); fi
  printf '%s %s\n' "$1" "$start"
}

proc_alive() {
  # proc_alive PID [STARTTIME]: true while PID runs (an exited, unreaped child still answers kill -0, so
  # zombies do not count) and, when STARTTIME is given, is still the process that was recorded.
  local pid=$1 start=${2:--} state
  kill -0 "$pid" 2>/dev/null || return 1
  [ -r "/proc/$pid/stat" ] || return 0
  state=$(_proc_stat_field "$pid" 0) || return 1
  [ "$state" != Z ] || return 1
  [ "$start" = - ] || [ "$(_proc_stat_field "$pid" 19)" = "$start" ]
}

proc_stop() {
  # proc_stop PIDFILE [TIMEOUT]: SIGTERM to the recorded process, SIGKILL if it is still there after TIMEOUT
  # seconds (default 15), then removes PIDFILE. Idempotent: a missing file or a process already gone is fine.
  local file=$1 timeout=${2:-15} pid="" start="" deadline
  [ -f "$file" ] || return 0
  read -r pid start <"$file" || true
  if [ -n "$pid" ] && proc_alive "$pid" "$start"; then
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + timeout))
    while proc_alive "$pid" "$start" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
    if proc_alive "$pid" "$start"; then kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  # Reap our own child quietly (no "Terminated" message); for another shell's child wait just fails.
  if [ -n "$pid" ]; then wait "$pid" 2>/dev/null || true; fi
  rm -f "$file"
}
