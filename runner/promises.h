/* promises.h: the promise table, read by the filter builder, the denial
   report and `vow show --promises`. */
#ifndef PROMISES_H
#define PROMISES_H
#include <stddef.h>
#include <stdint.h>

typedef uint32_t promises_t;

/* O_TMPFILE's own bit: the libc macro also holds O_DIRECTORY, which
   opendir(3) sets on every read-only open of a directory */
#define TMPFILE_BIT 020000000

enum promise {
	P_STDIO, P_RPATH, P_WPATH, P_CPATH, P_DPATH, P_TMPPATH, P_INET, P_MCAST, P_FATTR,
	P_CHOWN, P_FLOCK, P_UNIX, P_DNS, P_GETPW, P_SENDFD, P_RECVFD, P_TTY, P_PROC, P_THREAD,
	P_EXEC, P_PROT_EXEC, P_SETTIME, P_PS, P_VMINFO, P_ID,
	P_LOADER, /* implied for dynamically linked programs, never asked for */
	NPROMISES,
};

struct promise_name {
	const char *name;
	int bit;
	const char *what;
};
extern const struct promise_name promise_names[]; /* sorted by name */
extern const size_t npromise_names;
extern const promises_t promises_need_paths;

/* (arg & mask) == value; arg is 1-based so that 0 ends the list */
struct cond {
	uint8_t arg;
	uint64_t mask, value;
};
struct row {
	promises_t needs; /* all of these */
	const char *syscall;
	struct cond cond[3];
};
extern const struct row *promise_rows;
extern const size_t npromise_rows;

struct quiet {
	promises_t when;   /* when all of these are given (none: always) */
	promises_t unless; /* refused quietly unless one of these is given */
	const char *syscall;
	int err;
	struct cond cond[3];
};
extern const struct quiet quiet_table[];
extern const size_t nquiet;

struct promise_file {
	int bit;
	const char *path, *perms;
};
extern const struct promise_file promise_files[];
extern const size_t npromise_files;

struct socket_kind {
	promises_t needs;
	int domain, type, protocol;
};
extern const struct socket_kind socket_table[];
extern const size_t nsocket_kinds;

struct open_call {
	const char *syscall;
	int flags_arg, mode_arg;
};
extern const struct open_call open_calls[];
extern const size_t nopen_calls;
extern const uint64_t open_mask;
promises_t open_needs(uint64_t flags);

const char *promise_name(int bit);
int promise_lookup(const char *name);
const char *promises_parse(const char *text, promises_t *out);
#include <stdio.h>
void promises_print(FILE *f);

#endif
