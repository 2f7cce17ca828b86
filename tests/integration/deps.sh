# deps: vow.exec_deps finds what a program needs to start, parsing ELF and
# #! lines itself, and those files alone are enough to run it.
. "$LIB"

# deps CMD: the list, one per line, as vow.exec_deps returns it
deps() {
	run "$V" show --no-default -e "local d, e = vow.exec_deps('$1') if not d then print('ERR ' .. e) else for _, f in ipairs(d) do print(f) end end"
	out=$err
}

deps /bin/ls
ls=$(readlink -f /bin/ls)
is "$(echo "$out" | head -1)" "$ls" "ls: the program itself, by its real path"
has "$out" "$(readlink -f /lib64/ld-linux-x86-64.so.2)" "ls: its ELF interpreter"
has "$out" "/libc.so.6" "ls: libc, found through ld.so.conf"
lacks "$out" "/usr/bin/true" "ls: nothing it does not need"

deps ls
is "$(echo "$out" | head -1)" "$ls" "a name is looked up in the payload's PATH"

if [ -x /usr/bin/python3 ]; then
	deps /usr/bin/python3
	has "$out" "$(readlink -f /usr/bin/python3)" "python3: the interpreter binary"
	has "$out" "/libc.so.6" "python3: and its libraries"
else
	skip "python3 is not installed"
fi

printf '#!/bin/sh\necho script ran\n' > script.sh
chmod 755 script.sh
deps "$PWD/script.sh"
is "$(echo "$out" | head -2 | tr '\n' ' ')" "$PWD/script.sh $(readlink -f /bin/sh) " "a #! script: itself, then its interpreter"
has "$out" "/libc.so.6" "a #! script: the interpreter's libraries"
printf '#!/usr/bin/env sh\necho env script ran\n' > envscript.sh
chmod 755 envscript.sh
deps "$PWD/envscript.sh"
has "$out" "$(readlink -f /usr/bin/env)" "#!/usr/bin/env NAME: env"
has "$out" "$(readlink -f /bin/sh)" "#!/usr/bin/env NAME: and NAME from PATH"

deps "$PWD/nothing-here"
has "$out" "ERR " "a missing program: nil and a message"

# a binary whose library is found through an $ORIGIN runpath
if command -v cc >/dev/null; then
	mkdir -p app/bin app/lib
	printf 'int vow_answer(void) { return 42; }\n' > app/foo.c
	printf '#include <stdio.h>\nint vow_answer(void);\nint main(void) { printf("answer %%d\\n", vow_answer()); return 0; }\n' > app/main.c
	cc -shared -fPIC -o app/lib/libvowfoo.so app/foo.c &&
		cc -o app/bin/prog app/main.c -Lapp/lib -lvowfoo -Wl,-rpath,'$ORIGIN/../lib' -Wl,--enable-new-dtags
	deps "$PWD/app/bin/prog"
	has "$out" "$PWD/app/lib/libvowfoo.so" "\$ORIGIN runpath: the library beside the program is found"
	# those files are all it needs: unveiled alone, it runs, and nothing else is reachable
	run "$V" --no-default -e 'for _, f in ipairs(vow.exec_deps(vow.cwd() .. "/app/bin/prog")) do vow.unveil(f, "rx") end' ./app/bin/prog
	is "$rc:$out" "0:answer 42" "\$ORIGIN runpath: with only its dependencies unveiled, it runs"
else
	skip "no C compiler for the \$ORIGIN test"
fi

# the round trip for ls: its dependencies rx, one directory r
mkdir -p seen hidden
touch seen/a hidden/b
run "$V" --no-default -e 'for _, f in ipairs(vow.exec_deps("ls")) do vow.unveil(f, "rx") end' -v r:seen ls seen
is "$rc:$out" "0:a" "ls runs with only its dependencies and one directory"
run "$V" --no-default -e 'for _, f in ipairs(vow.exec_deps("ls")) do vow.unveil(f, "rx") end' -v r:seen ls hidden
is "$rc" 2 "and cannot list another"
run "$V" --no-default -e 'for _, f in ipairs(vow.exec_deps("ls")) do vow.unveil(f, "rx") end' -v r:seen cat seen/a
is "$rc" 126 "nor run a program outside its dependencies"
printf '#!/no/such/interpreter\n' > badinterp.sh
chmod 755 badinterp.sh
deps "$PWD/badinterp.sh"
has "$out" "ERR " "a script whose interpreter is missing: nil and a message"
deps /usr
has "$out" "ERR " "a directory: nil and a message"
