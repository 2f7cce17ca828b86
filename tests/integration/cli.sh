# cli: the command line contract: options, errors, exit statuses.
. "$LIB"

run "$V" --help
is "$rc" 0 "--help exits 0"
has "$out" "usage: vow [run] [OPTIONS] [--] COMMAND [ARG...]" "--help prints the usage"
run "$V" --version
has "$out" "vow " "--version prints the version"

run "$V"
is "$rc" 125 "no command: status 125"
is "$err" "vow: no command given (try vow --help)" "no command: message"

run "$V" --memroy 5 true
is "$rc:$err" "125:vow: unknown option --memroy (did you mean --memory?)" "unknown long option suggests the right one"
run "$V" -Z true
is "$rc:$err" "125:vow: unknown option -Z (try vow --help)" "unknown short option"
run "$V" -M
is "$rc:$err" "125:vow: option -M needs a value" "missing option value"

# values: each must parse and be in range, or nothing runs
for bad in "-M 12X" "-M 0" "-M 1K" "-P 0" "-P -3" "-N abc" "-F 1Q" "-C 1.5" "-T -1" "-T 0" "-T 5x" "-P 99999999999999999999999"; do
	run "$V" $bad true
	is "$rc" 125 "bad value $bad is refused with 125"
done
run "$V" -M 12X true
is "$err" 'vow: -M: memory "12X": expected a size such as 4096, 512K, 64M or 2G' "bad size names the grammar"
run "$V" -P 0 true
is "$err" "vow: -P: procs must be between 1 and 4194304" "out of range names the range"
for good in "-M 512M" "-M 4G" "-M 1073741824" "-P 64" "-N 256" "-F 0" "-F 10k" "-C 5" "-T 2.5" "-T 500ms" "-T 1m"; do
	run "$V" $good true
	is "$rc" 0 "good value $good is accepted"
done

# learn and explain refuse bad arguments before running anything
rm -f marker
run "$V" learn --bogus -- sh -c 'touch marker'
is "$rc:$(ls marker 2>/dev/null)" "125:" "vow learn with an option it does not take: 125, nothing ran"
has "$err" "--bogus is not an option of learn" "vow learn names the option"
run "$V" explain -p nosuch -- sh -c 'touch marker'
is "$rc:$err:$(ls marker 2>/dev/null)" '125:vow: -p: unknown promise "nosuch":' "vow explain with a bad policy: 125, nothing ran"
run "$V" explain
is "$rc:$err" "125:vow: no command given (try vow --help)" "vow explain without a command: 125"
# the built ones refuse bad arguments before running anything
run "$V" matrix x
has "$rc:$err" "125:vow: usage: vow matrix FILE" "vow matrix without a command: 125 and the usage"
rm -f marker
run "$V" matrix ./no-such-matrix.lua sh -c 'touch marker'
is "$rc:$err" "125:vow: matrix: ./no-such-matrix.lua: No such file or directory" "vow matrix of a missing file: 125, naming it"
[ -e marker ] && notok "vow matrix of a missing file ran the command" || ok "vow matrix of a missing file runs nothing"
run "$V" trust ./no-such-policy.lua
is "$rc:$err" "125:vow: trust: ./no-such-policy.lua: No such file or directory" "vow trust of a missing file: 125, naming it"

# exit statuses
run "$V" --no-default true;                     is "$rc" 0 "status of true"
run "$V" --no-default sh -c 'exit 3';           is "$rc" 3 "the payload's own status"
run "$V" run --no-default sh -c 'exit 4';       is "$rc" 4 "vow run COMMAND"
run "$V" --no-default -- sh -c 'exit 5';        is "$rc" 5 "vow -- COMMAND"
run "$V" --no-default sh -c 'kill -TERM $$';    is "$rc" 143 "died of SIGTERM: 128+15"
run "$V" --no-default sh -c 'kill -SEGV $$';    is "$rc" 139 "died of SIGSEGV: 128+11"
run "$V" --no-default no-such-command-here
is "$rc:$err" "127:vow: no-such-command-here: command not found" "not found: 127"
run "$V" --no-default ./no/such/file
is "$rc" 127 "missing path: 127"
printf 'echo hi\n' > notexec; chmod 644 notexec
run "$V" --no-default ./notexec
is "$rc:$err" "126:vow: ./notexec: Permission denied" "not executable: 126"
run "$V" --no-default /
is "$rc" 126 "a directory: 126"
printf '#!/no/such/interpreter\n' > badinterp; chmod 755 badinterp
run "$V" --no-default ./badinterp
is "$rc" 127 "missing interpreter: 127"
has "$err" "cannot execute ./badinterp: No such file or directory" "missing interpreter: message"
printf '#!/bin/sh\necho script "$@"\n' > script; chmod 755 script
run "$V" --no-default ./script a b
is "$rc:$out" "0:script a b" "a #! script runs"

run "$V" --violation kil true
is "$rc:$err" '125:vow: --violation: unknown violation mode "kil" (did you mean kill?) (report, eperm or kill)' "a bad violation mode is refused"
run "$V" -p 'stdio inett' true
is "$rc:$err" '125:vow: -p: unknown promise "inett" (did you mean "inet"?)' "an unknown promise is refused, with a suggestion"

# options stop at the command: its own options are its own
run "$V" --no-default sh -c 'echo "$@"' x -M 5 -p stdio
is "$out" "-M 5 -p stdio" "options after the command belong to it"
# PATH lookup uses the payload's PATH
mkdir -p bin; printf '#!/bin/sh\necho mine\n' > bin/mytool; chmod 755 bin/mytool
run "$V" --no-default -e "vow.env.set('PATH', '$PWD/bin:/usr/bin:/bin')" mytool
is "$out" "mine" "the command is looked up in the payload's PATH"
