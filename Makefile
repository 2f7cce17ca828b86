# vow: a Linux sandbox runner whose policies are Lua programs.
# make [all] | check | demo | install | clean | deps      (overrides: config.mk)

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DESTDIR ?=

CC ?= cc
PKG_CONFIG ?= pkg-config
PKGS = lua5.4 libseccomp libcap

WARN_BASE = -Wall -Wextra -Werror
WARN_EXTRA = -Wshadow -Wpointer-arith -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
WARN_OFF = -Wno-missing-field-initializers
CFLAGS ?= -O2 -g

ALL_CFLAGS = -std=gnu11 $(WARN_BASE) $(WARN_EXTRA) $(WARN_OFF) $(CFLAGS) \
	$(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
# Lua, libseccomp and libcap are linked statically: the dynamic loader's
# relocations were a fifth of vow's start-up time.  LINK_SHARED=1 undoes it.
ifeq ($(LINK_SHARED),1)
LDLIBS += $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lm
else
LDLIBS += -Wl,-Bstatic $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -Wl,-Bdynamic -lm -ldl
endif

-include config.mk

SRC = $(wildcard runner/*.c)
OBJ = $(SRC:runner/%.c=build/%.o) build/embedded.o
LIB = $(wildcard policy-lib/*.lua)
POLICIES = $(wildcard policies/*.lua)

# Debian packages the build, the tests and the demo need.
DEPS = build-essential pkg-config liblua5.4-dev libseccomp-dev libcap-dev \
	lua5.4 lua-busted strace util-linux python3 procps nodejs git

all: vow

# The command is the library's mechanisms (build/libvow-all.o, the object
# libvow.a is made of) and its command line.
CLI_OBJ = build/main.o build/matrix.o
vow: $(CLI_OBJ) build/libvow-all.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) build/libvow-all.o $(LDLIBS)

build/%.o: runner/%.c runner/*.h include/vow.h | build
	$(CC) $(ALL_CFLAGS) $(CPPFLAGS) -Irunner -c -o $@ $<

# libvow: the mechanisms without the command line, for programs that seal
# themselves (include/vow.h).  Only the calls of vow.h are exported: the
# archive's objects are merged and every other global made local; the
# shared library has a version script.
LIB_OBJ = $(filter-out $(CLI_OBJ),$(OBJ))
build/libvow-all.o: $(LIB_OBJ)
	$(LD) -r -o $@ $(LIB_OBJ)
# the exported names: the functions include/vow.h declares, and no list
# of them to keep in step by hand
build/libvow.syms: include/vow.h | build
	sed -n '/^typedef/!s/^[a-z_ ]*[ *]\(vow_[a-z_]*\)(.*/\1/p' include/vow.h >$@
build/libvow.map: build/libvow.syms
	{ echo 'VOW_0 {'; echo 'global:'; sed 's/$$/;/' build/libvow.syms; echo 'local: *;'; echo '};'; } >$@
build/libvow.a: build/libvow-all.o build/libvow.syms
	objcopy --keep-global-symbols=build/libvow.syms build/libvow-all.o build/libvow-public.o
	rm -f $@ && ar rcs $@ build/libvow-public.o

PIC_OBJ = $(LIB_OBJ:build/%=build/pic/%)
build/pic/%.o: runner/%.c runner/*.h include/vow.h
	@mkdir -p build/pic
	$(CC) $(ALL_CFLAGS) -fPIC -Irunner -c -o $@ $<
build/pic/embedded.o: build/embedded.c
	@mkdir -p build/pic
	$(CC) $(ALL_CFLAGS) -fPIC -Irunner -c -o $@ $<
build/libvow.so: $(PIC_OBJ) build/libvow.map
	$(CC) -shared -Wl,-soname,libvow.so.0 -Wl,--version-script=build/libvow.map -o $@ \
		$(PIC_OBJ) $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lm

# policy-lib goes in compiled (trusted code of ours: parsing it on every
# run cost a millisecond); policies stay text, loaded as users' are
build/policy-lib/%.lua: policy-lib/%.lua | build
	@mkdir -p build/policy-lib
	luac5.4 -o $@ $<

build/embedded.c: runner/embed.sh $(LIB:%=build/%) $(POLICIES) | build
	sh runner/embed.sh $(foreach f,$(LIB),$(f)=build/$(f)) $(POLICIES) > $@

build/embedded.o: build/embedded.c runner/embedded.h
	$(CC) $(ALL_CFLAGS) -Irunner -c -o $@ $<

build:
	mkdir -p build

# probe: one kernel operation per run, for the tests and the demo
build/probe: tests/probe.c | build
	$(CC) $(ALL_CFLAGS) -o $@ $< -lpthread

# bpfcheck: the seccomp program generator against the rules it was given
BPFCHECK_OBJ = build/bpf.o build/seccomp.o build/promises.o build/proctree.o build/die.o
build/bpfcheck: tests/bpfcheck.c $(BPFCHECK_OBJ) runner/*.h
	$(CC) $(ALL_CFLAGS) -Irunner -o $@ $< $(BPFCHECK_OBJ) $(LDLIBS)

# libvow-test: one call of include/vow.h per run, linked as a user would
build/libvow-test: tests/libvow-test.c build/libvow.a include/vow.h
	$(CC) $(ALL_CFLAGS) -Iinclude -o $@ $< build/libvow.a $(LDLIBS) -lpthread

# examples/c: programs that seal themselves, built as a user would build them
build/example-count: examples/c/count.c build/libvow.a include/vow.h
	$(CC) $(ALL_CFLAGS) -Iinclude -o $@ $< build/libvow.a $(LDLIBS)
build/example-isolate: examples/c/isolate.c build/libvow.a include/vow.h
	$(CC) $(ALL_CFLAGS) -Iinclude -o $@ $< build/libvow.a $(LDLIBS)

check: vow build/probe build/bpfcheck build/libvow-test build/libvow.so build/example-count \
	build/example-isolate
	sh tests/run

# the same tests against a binary built with AddressSanitizer and UBSan
# (leak checking is left to `vow show`: the supervisor exits with its
# sandbox's memory still mapped, by design)
ASAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
ASAN_OBJ = $(SRC:runner/%.c=build/asan/%.o) build/asan/embedded.o
build/asan/%.o: runner/%.c runner/*.h
	@mkdir -p build/asan
	$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -Irunner -c -o $@ $<
build/asan/embedded.o: build/embedded.c
	@mkdir -p build/asan
	$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -Irunner -c -o $@ $<
build/asan/vow: $(ASAN_OBJ)
	$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -o $@ $(ASAN_OBJ) $(LDLIBS)

# libvow's callers, on the instrumented mechanisms (not the archive, whose
# symbols are localized)
ASAN_LIB_OBJ = $(filter-out $(CLI_OBJ:build/%=build/asan/%),$(ASAN_OBJ))
build/asan/libvow-test: tests/libvow-test.c $(ASAN_LIB_OBJ) include/vow.h
	$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -Iinclude -o $@ $< $(ASAN_LIB_OBJ) $(LDLIBS) -lpthread
build/asan/example-isolate: examples/c/isolate.c $(ASAN_LIB_OBJ) include/vow.h
	$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -Iinclude -o $@ $< $(ASAN_LIB_OBJ) $(LDLIBS)

build/asan/bpfcheck: tests/bpfcheck.c $(BPFCHECK_OBJ:build/%=build/asan/%)
	$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -Irunner -o $@ $< $(BPFCHECK_OBJ:build/%=build/asan/%) $(LDLIBS)

# (a function isolated under a memory limit sees malloc fail, and its
# crash is its own: allocator_may_return_null and handle_segv=0 keep it so)
LIBVOW_LEAKS = ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1:handle_segv=0 build/asan/libvow-test
sanitize: build/asan/vow build/probe build/asan/bpfcheck build/libvow-test build/libvow.so \
	build/example-count build/example-isolate build/asan/libvow-test build/asan/example-isolate
	ASAN_OPTIONS=detect_leaks=1 build/asan/vow show -e 'vow.env.set("A", "b")' -P 3 >/dev/null
	ASAN_OPTIONS=detect_leaks=1 build/asan/vow show --lua -e 'vow.caps.keep("chown")' >/dev/null
	ASAN_OPTIONS=detect_leaks=1 build/asan/vow show -p 'stdio inet' --violation kill -- ls >/dev/null
	$(LIBVOW_LEAKS) policy-errors >/dev/null
	$(LIBVOW_LEAKS) show >/dev/null
	$(LIBVOW_LEAKS) load readonly >/dev/null
	$(LIBVOW_LEAKS) load nosuch >/dev/null
	$(LIBVOW_LEAKS) spawn /dev/null >/dev/null
	$(LIBVOW_LEAKS) isolate-return /dev/null >/dev/null
	$(LIBVOW_LEAKS) isolate-crash /dev/null >/dev/null
	VOW=build/asan/vow BPFCHECK=build/asan/bpfcheck LIBVOW_BIN=build/asan/libvow-test \
		ISOLATE_BIN=build/asan/example-isolate \
		ASAN_OPTIONS=detect_leaks=0:abort_on_error=0:allocator_may_return_null=1:handle_segv=0 sh tests/run

demo: vow build/probe build/example-isolate
	sh demo/run

VERSION = $(shell sed -n 's/^\#define VOW_VERSION "\(.*\)"/\1/p' runner/vow.h)
build/vow.pc: runner/vow.pc.in runner/vow.h | build
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCLUDEDIR@|$(INCLUDEDIR)|; s|@VERSION@|$(VERSION)|' $< > $@

install: vow build/libvow.a build/libvow.so build/vow.pc
	install -D -m 755 vow $(DESTDIR)$(BINDIR)/vow
	install -D -m 644 doc/vow.1 $(DESTDIR)$(MANDIR)/man1/vow.1
	install -D -m 644 doc/vow.3 $(DESTDIR)$(MANDIR)/man3/vow.3
	install -D -m 644 include/vow.h $(DESTDIR)$(INCLUDEDIR)/vow.h
	install -D -m 644 build/libvow.a $(DESTDIR)$(LIBDIR)/libvow.a
	install -D -m 755 build/libvow.so $(DESTDIR)$(LIBDIR)/libvow.so.$(VERSION)
	ln -sf libvow.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libvow.so.0
	ln -sf libvow.so.0 $(DESTDIR)$(LIBDIR)/libvow.so
	install -D -m 644 build/vow.pc $(DESTDIR)$(LIBDIR)/pkgconfig/vow.pc

deps:
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(DEPS); \
	else \
		missing=$$(for p in $(DEPS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
		if [ -n "$$missing" ]; then \
			echo "run as root: apt-get update && apt-get install -y" $$missing; exit 1; \
		fi; \
	fi

# make bench: start-up, per-syscall and workload figures against bare runs,
# bubblewrap and firejail, written to bench/RESULTS.md and bench/results.png
BENCH_DEPS = bubblewrap firejail hyperfine gnuplot-nox lua5.4 python3 make
bench-deps:
	@missing=$$(for p in $(BENCH_DEPS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	else \
		echo "run as root: apt-get update && apt-get install -y" $$missing; exit 1; \
	fi

bench: vow bench-deps
	sh bench/run

.PHONY: bench bench-deps

clean:
	rm -rf build vow

.PHONY: all check sanitize demo install deps clean
