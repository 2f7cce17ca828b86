# lib.sh: assertions for the integration tests, sourced by each one.
# Each check prints "ok - what" or "not ok - what" (and why, after "#").
# The environment: $V is vow, $PROBE the probe, $WORK a fresh directory
# this user owns, and the working directory.

ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }
skip() { echo "skip - $*"; }

# run CMD...: $out, $err, $rc of the command (stdin from /dev/null)
run() {
	out=$("$@" 2>"$WORK/.stderr" </dev/null)
	rc=$?
	err=$(cat "$WORK/.stderr")
}

# is ACTUAL EXPECTED WHAT
is() {
	if [ "$1" = "$2" ]; then ok "$3"; else
		notok "$3"
		printf '#   got:      %s\n#   expected: %s\n' "$1" "$2"
	fi
}

# has TEXT PART WHAT
has() {
	case "$1" in
	*"$2"*) ok "$3" ;;
	*) notok "$3"; printf '#   got:     %s\n#   missing: %s\n' "$1" "$2" ;;
	esac
}

# lacks TEXT PART WHAT
lacks() {
	case "$1" in
	*"$2"*) notok "$3"; printf '#   got:       %s\n#   unexpected: %s\n' "$1" "$2" ;;
	*) ok "$3" ;;
	esac
}

is_root() { [ "$(id -u)" = 0 ]; }

# alive CMDLINE: the pids of this user's live processes whose arguments,
# joined by spaces, are exactly CMDLINE
alive() {
	for d in /proc/[0-9]*; do
		[ -O "$d" ] || continue
		case "$(cut -d' ' -f3 "$d/stat" 2>/dev/null)" in Z|X|"") continue ;; esac
		[ "$(tr '\0' ' ' < "$d/cmdline" 2>/dev/null)" = "$1 " ] && echo "${d#/proc/}"
	done
	return 0
}

# wait_for CMD...: retry for up to 5 s until CMD succeeds
wait_for() {
	i=0
	while ! "$@" 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 100 ] && return 1
		sleep 0.05
	done
}
