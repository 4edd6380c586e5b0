# Sourced (not run) by the lab scripts that start long-running children: boot.sh (QEMU),
# build-runner.sh (swiftc), fetch-kernel.sh (apt downloads).
#
# kvm-gic starts each lab script as the leader of a process group of its own and ends that
# whole group on Ctrl-C or SIGTERM. This covers the other ways a script is stopped: run by
# hand and sent SIGTERM or SIGHUP alone, or Ctrl-C at a terminal.
#
#   child CMD...   runs CMD in the background and waits for it: bash runs a trap only once a
#                  foreground command has ended, but a trap interrupts `wait` at once.
#
# On SIGINT, SIGTERM or SIGHUP the script ends its children and exits 128 + the signal. When
# the script leads its process group (started by kvm-gic, or as a terminal job) it signals the
# whole group, which reaches grandchildren too (swift-frontend under swiftc, QEMU under
# timeout); otherwise (started by another script in that script's group) only the children it
# started, so it never signals its caller.

lab_children=()

child() {
  "$@" &
  lab_children+=("$!")
  local status=0
  wait "$!" || status=$?
  return "$status"
}

# The process group of pid $1, from /proc (comm may hold spaces: parse after the last ')').
lab_group_of() {
  local stat
  stat=$(<"/proc/$1/stat")
  stat=${stat##*) }
  set -- $stat
  echo "$3"
}

lab_stop() {
  trap - INT TERM HUP
  if [[ $(lab_group_of $$) == "$$" ]]; then
    trap '' TERM
    kill -TERM 0 2>/dev/null || true
  elif (( ${#lab_children[@]} )); then
    kill -TERM "${lab_children[@]}" 2>/dev/null || true
  fi
  wait || true
  exit $((128 + $1))
}

trap 'lab_stop 2' INT
trap 'lab_stop 15' TERM
trap 'lab_stop 1' HUP
