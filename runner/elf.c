/* elf.c: the files a program needs to start, found the way the dynamic
 * loader finds them, without running anything (no ldd).
 *
 *   the program itself
 *   its #! interpreter, and that one's, up to 4 deep (for #!/usr/bin/env NAME,
 *   env and NAME as found in the payload's PATH)
 *   its ELF interpreter (PT_INTERP)
 *   its DT_NEEDED libraries, recursively, each searched in: the object's
 *   DT_RPATH and then the program's (only when the object has no
 *   DT_RUNPATH), LD_LIBRARY_PATH as the payload will have it, the object's
 *   DT_RUNPATH, the directories of /etc/ld.so.conf (and its includes), then
 *   /lib, /usr/lib, /lib64 and /usr/lib64; $ORIGIN is the directory of the
 *   object whose path list it is in; a library of another class or machine
 *   is passed over, as the loader does.  A library found nowhere is left
 *   out (the loader will say so when the program starts).
 *
 * Every file is named by its real path (Landlock checks the file, not the
 * symlink that led to it). */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vow.h"

#define MAX_FILES 512

struct deps {
	char *files[MAX_FILES];
	size_t n;
	const char *ld_library_path;
	char *conf_dirs[128]; /* from /etc/ld.so.conf */
	size_t nconf;
	bool conf_read;
	char exe_origin[PATH_MAX]; /* $ORIGIN in the program's own DT_RPATH */
};

static bool known(struct deps *d, const char *path)
{
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->files[i], path))
			return true;
	return false;
}

static void add(struct deps *d, const char *path)
{
	if (!known(d, path) && d->n < MAX_FILES)
		d->files[d->n++] = strdup(path);
}

/* ---- /etc/ld.so.conf: "include GLOB" lines and directories ---- */

static void conf_read(struct deps *d, const char *file, int depth)
{
	FILE *f = fopen(file, "re");
	if (!f || depth > 8) {
		if (f)
			fclose(f);
		return;
	}
	char line[PATH_MAX];
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "#\n")] = 0;
		char *s = line + strspn(line, " \t");
		if (!*s)
			continue;
		if (!strncmp(s, "include", 7) && (s[7] == ' ' || s[7] == '\t')) {
			char *pat = s + 8 + strspn(s + 8, " \t");
			glob_t g;
			if (!glob(pat, 0, NULL, &g))
				for (size_t i = 0; i < g.gl_pathc; i++)
					conf_read(d, g.gl_pathv[i], depth + 1);
			globfree(&g);
		} else if (*s == '/' && d->nconf < sizeof d->conf_dirs / sizeof *d->conf_dirs)
			d->conf_dirs[d->nconf++] = strdup(s);
	}
	fclose(f);
}

/* ---- one ELF object ---- */

struct object {
	Elf64_Ehdr eh;
	char interp[PATH_MAX];
	char *strtab;
	size_t strsz;
	uint64_t needed[64];
	size_t nneeded;
	int64_t rpath, runpath; /* offsets into strtab, -1 when absent */
};

/* The file offset of virtual address VADDR, through the PT_LOAD segments. */
static int64_t offset_of(const Elf64_Phdr *ph, int n, uint64_t vaddr)
{
	for (int i = 0; i < n; i++)
		if (ph[i].p_type == PT_LOAD && vaddr >= ph[i].p_vaddr &&
		    vaddr < ph[i].p_vaddr + ph[i].p_filesz)
			return vaddr - ph[i].p_vaddr + ph[i].p_offset;
	return -1;
}

/* Read the parts of PATH the loader reads; 0, or -1 when it is no ELF64. */
static int object_read(const char *path, struct object *o)
{
	memset(o, 0, sizeof *o);
	o->rpath = o->runpath = -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	Elf64_Phdr ph[64];
	int r = -1;
	if (pread(fd, &o->eh, sizeof o->eh, 0) != sizeof o->eh || memcmp(o->eh.e_ident, ELFMAG, SELFMAG) ||
	    o->eh.e_ident[EI_CLASS] != ELFCLASS64 || o->eh.e_phentsize != sizeof *ph ||
	    o->eh.e_phnum > 64)
		goto out;
	int n = o->eh.e_phnum;
	if (pread(fd, ph, n * sizeof *ph, o->eh.e_phoff) != (ssize_t)(n * sizeof *ph))
		goto out;
	r = 0;
	for (int i = 0; i < n; i++) {
		if (ph[i].p_type == PT_INTERP && ph[i].p_filesz < sizeof o->interp &&
		    pread(fd, o->interp, ph[i].p_filesz, ph[i].p_offset) == (ssize_t)ph[i].p_filesz)
			o->interp[ph[i].p_filesz] = 0;
		if (ph[i].p_type != PT_DYNAMIC || ph[i].p_filesz > (1 << 20))
			continue;
		Elf64_Dyn *dyn = malloc(ph[i].p_filesz);
		if (!dyn || pread(fd, dyn, ph[i].p_filesz, ph[i].p_offset) != (ssize_t)ph[i].p_filesz) {
			free(dyn);
			continue;
		}
		uint64_t strtab = 0;
		for (size_t k = 0; k < ph[i].p_filesz / sizeof *dyn && dyn[k].d_tag != DT_NULL; k++) {
			switch (dyn[k].d_tag) {
			case DT_STRTAB: strtab = dyn[k].d_un.d_ptr; break;
			case DT_STRSZ: o->strsz = dyn[k].d_un.d_val; break;
			case DT_NEEDED:
				if (o->nneeded < 64)
					o->needed[o->nneeded++] = dyn[k].d_un.d_val;
				break;
			case DT_RPATH: o->rpath = dyn[k].d_un.d_val; break;
			case DT_RUNPATH: o->runpath = dyn[k].d_un.d_val; break;
			}
		}
		free(dyn);
		int64_t off = strtab ? offset_of(ph, n, strtab) : -1;
		if (off >= 0 && o->strsz && o->strsz < (16 << 20)) {
			o->strtab = malloc(o->strsz + 1);
			if (o->strtab && pread(fd, o->strtab, o->strsz, off) == (ssize_t)o->strsz)
				o->strtab[o->strsz] = 0;
			else {
				free(o->strtab);
				o->strtab = NULL;
			}
		}
	}
out:
	close(fd);
	return r;
}

static const char *str(const struct object *o, int64_t at)
{
	return o->strtab && at >= 0 && (size_t)at < o->strsz ? o->strtab + at : NULL;
}

/* Look for NAME in the colon-separated DIRS, $ORIGIN being ORIGIN.  The
   library must be an ELF of the same class and machine as WANT. */
static bool search(const char *dirs, const char *origin, const char *name, const Elf64_Ehdr *want,
                   char *out)
{
	while (dirs && *dirs) {
		size_t len = strcspn(dirs, ":;");
		char dir[PATH_MAX], path[PATH_MAX * 2];
		snprintf(dir, sizeof dir, "%.*s", (int)len, dirs);
		dirs += len + (dirs[len] != 0);
		if (!*dir)
			continue;
		char *o = strstr(dir, "$ORIGIN");
		if (!o)
			o = strstr(dir, "${ORIGIN}");
		if (o) {
			char rest[PATH_MAX];
			snprintf(rest, sizeof rest, "%s", o + (o[1] == '{' ? 9 : 7));
			snprintf(o, dir + sizeof dir - o, "%s%s", origin, rest);
		}
		snprintf(path, sizeof path, "%s/%s", dir, name);
		struct object lib;
		if (object_read(path, &lib))
			continue;
		free(lib.strtab);
		if (lib.eh.e_machine == want->e_machine && lib.eh.e_ident[EI_CLASS] == want->e_ident[EI_CLASS] &&
		    realpath(path, out))
			return true;
	}
	return false;
}

static void walk(struct deps *d, const char *path, const struct object *exe, int depth);

/* Resolve one DT_NEEDED NAME of object O (at PATH), then walk it. */
static void needed(struct deps *d, const char *name, const struct object *o, const char *path,
                   const struct object *exe, int depth)
{
	char found[PATH_MAX], origin[PATH_MAX];
	if (strchr(name, '/')) {
		if (realpath(name, found))
			walk(d, found, exe, depth + 1);
		return;
	}
	snprintf(origin, sizeof origin, "%s", path);
	char *slash = strrchr(origin, '/');
	if (slash)
		*slash = 0;
	const char *runpath = str(o, o->runpath);
	bool hit = false;
	if (!runpath)
		hit = search(str(o, o->rpath), origin, name, &o->eh, found) ||
		      (exe && exe != o && !str(exe, exe->runpath) &&
		       search(str(exe, exe->rpath), d->exe_origin, name, &o->eh, found));
	hit = hit || search(d->ld_library_path, origin, name, &o->eh, found) ||
	      search(runpath, origin, name, &o->eh, found);
	if (!d->conf_read) {
		conf_read(d, "/etc/ld.so.conf", 0);
		d->conf_read = true;
	}
	for (size_t i = 0; !hit && i < d->nconf; i++)
		hit = search(d->conf_dirs[i], origin, name, &o->eh, found);
	hit = hit || search("/lib:/usr/lib:/lib64:/usr/lib64", origin, name, &o->eh, found);
	if (hit)
		walk(d, found, exe, depth + 1);
}

static void walk(struct deps *d, const char *path, const struct object *exe, int depth)
{
	if (known(d, path) || depth > 64)
		return;
	add(d, path);
	struct object o;
	if (object_read(path, &o))
		return;
	if (*o.interp) {
		char real[PATH_MAX];
		if (realpath(o.interp, real))
			add(d, real);
	}
	for (size_t i = 0; i < o.nneeded; i++) {
		const char *name = str(&o, o.needed[i]);
		if (name)
			needed(d, name, &o, path, exe ? exe : &o, depth);
	}
	free(o.strtab);
}

/* The files PATH needs to start (see the top of this file), as a
   NULL-terminated malloc'd array of malloc'd real paths; NULL with errno
   when PATH itself cannot be read. */
static void deps_free(struct deps *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->files[i]);
	for (size_t i = 0; i < d->nconf; i++)
		free(d->conf_dirs[i]);
}

static bool in_path(const char *name, const char *pathvar, char *out)
{
	char found[PATH_MAX];
	return exec_which(name, pathvar, found, sizeof found) && realpath(found, out);
}

char **exec_deps(const char *path, const char *ld_library_path, const char *pathvar)
{
	struct deps d = {.ld_library_path = ld_library_path};
	char real[PATH_MAX], line[PATH_MAX], next[PATH_MAX];
	struct stat st;
	if (!realpath(path, real))
		return NULL;
	if (stat(real, &st) || !S_ISREG(st.st_mode)) {
		errno = S_ISDIR(st.st_mode) ? EISDIR : EACCES;
		return NULL;
	}
	/* #! chains: the script, then its interpreter, as the kernel does */
	for (int depth = 0; depth < 4; depth++) {
		int fd = open(real, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			deps_free(&d);
			return NULL;
		}
		ssize_t n = read(fd, line, sizeof line - 1);
		close(fd);
		if (n < 2 || line[0] != '#' || line[1] != '!')
			break;
		add(&d, real);
		line[n] = 0;
		char *interp = line + 2 + strspn(line + 2, " \t");
		char *arg = interp + strcspn(interp, " \t\n");
		bool more = *arg == ' ' || *arg == '\t';
		*arg = 0;
		if (more) {
			arg++;
			arg += strspn(arg, " \t");
			arg[strcspn(arg, " \t\n")] = 0;
		}
		if (!*interp || !realpath(interp, next)) {
			deps_free(&d);
			errno = ENOENT; /* the interpreter the script names is not there */
			return NULL;
		}
		strcpy(real, next);
		/* #!/usr/bin/env NAME: env runs NAME from PATH, which comes next */
		const char *base = strrchr(real, '/');
		if (more && *arg && *arg != '-' && base && !strcmp(base, "/env")) {
			walk(&d, real, NULL, 0);
			if (!in_path(arg, pathvar, next)) {
				deps_free(&d);
				errno = ENOENT;
				return NULL;
			}
			strcpy(real, next);
		}
	}
	snprintf(d.exe_origin, sizeof d.exe_origin, "%s", real);
	char *slash = strrchr(d.exe_origin, '/');
	if (slash)
		*slash = 0;
	walk(&d, real, NULL, 0);
	for (size_t i = 0; i < d.nconf; i++)
		free(d.conf_dirs[i]);
	char **out = calloc(d.n + 1, sizeof *out);
	if (!out)
		die("out of memory");
	memcpy(out, d.files, d.n * sizeof *out);
	return out;
}
