# ports: TCP connect and bind on Landlock (ABI 4), as root and as a user.
# Nothing listens on the ports used here: an allowed connect reaches the
# network stack and gets ECONNREFUSED, a refused one gets EACCES from
# Landlock before any packet is sent.
. "$LIB"

c() { run "$V" --no-default "$@" "$PROBE" sys connect tcp "in:127.0.0.1:$PORT" 16; }
b() { run "$V" --no-default "$@" "$PROBE" sys bind tcp "in:127.0.0.1:$PORT" 16; }

PORT=1
c
is "$out" "ECONNREFUSED" "no port rule: connect is not restricted"
c --connect 8079
is "$out" "EACCES" "--connect 8079: connect to another port is refused"
PORT=8079
c --connect 8079
is "$out" "ECONNREFUSED" "--connect 8079: connect to 8079 goes out"
b --connect 8079
is "$out" "EACCES" "--connect alone: bind is refused"
PORT=$((20000 + $$ % 20000))
b --bind "$PORT"
is "$out" "ok" "--bind PORT: bind to it works"
b --bind "$((PORT + 1))"
is "$out" "EACCES" "--bind: bind to another port is refused"
c --bind "$PORT"
is "$out" "EACCES" "--bind alone: connect is refused"
PORT=8079
c -e 'vow.connect(8079)' -e 'vow.connect(9)'
is "$out" "ECONNREFUSED" "vow.connect: ports add up"
c -p 'stdio inet' --connect 8079
is "$out" "ECONNREFUSED" "with the inet promise: sockets exist, ports say where they go"
PORT=8080
c -p 'stdio inet' --connect 8079
is "$out" "EACCES" "with the inet promise: another port is still refused"
PORT=1
c --connect any
is "$out" "ECONNREFUSED" "--connect any: connect to every port goes out"
b --connect any
is "$out" "EACCES" "--connect any: bind is still refused"
# UDP is not Landlock's: a port rule leaves it alone
run "$V" --no-default --connect 8079 "$PROBE" sys connect udp in:127.0.0.1:53 16
is "$out" "ok" "UDP is not restricted by TCP port rules"

for bad in 0 65536 -1 http 8o +80 " 80" 123456; do
	run "$V" --connect "$bad" true
	is "$rc:$err" "125:vow: --connect $bad: a TCP port is a number from 1 to 65535, or \"any\"" "--connect $bad is refused"
done
run "$V" -e 'vow.bind("80")' true
is "$rc:$err" "125:vow: -e:1: vow.bind: a port is a whole number from 1 to 65535 or \"any\", got string" "vow.bind needs a number"
run "$V" -e 'vow.connect(80.5)' true
is "$rc:$err" "125:vow: -e:1: vow.connect: a port is a whole number from 1 to 65535 or \"any\", got 80.5" "vow.connect needs a whole number"
run "$V" show --connect 443 -e 'vow.bind(8080)'
has "$out" "connect 443  (command line (--connect))" "vow show lists connect rules"
has "$out" "bind    8080  (-e:1)" "vow show lists bind rules with their source"
