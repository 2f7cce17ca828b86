/* vow.h: a program seals itself, as OpenBSD's pledge(2) and unveil(2)
 * let it.  Link with -lvow (pkg-config vow).
 *
 *   if (vow_unveil("/var/lib/app", "rwc") || vow_unveil(NULL, NULL) ||
 *       vow_pledge("stdio rpath wpath cpath", NULL))
 *           err(1, "vow");
 *
 * Each call returns 0, or -1 with errno set; none exits the caller.
 *
 * int vow_pledge(const char *promises, const char *execpromises);
 *   From now on the process may make only the system calls PROMISES (the
 *   words of `vow show --promises`, space separated) allow; any other
 *   kills it with SIGSYS (OpenBSD sends SIGABRT).  A later call may only
 *   narrow: a promise the process no longer holds gives EPERM.  An unknown
 *   word gives EINVAL and changes nothing.  PROMISES NULL leaves them as
 *   they are.  On Linux a filter cannot be lifted, so it holds in every
 *   thread (created before or after) and in every program the process
 *   executes: EXECPROMISES must be NULL (EINVAL otherwise; OpenBSD would
 *   give the executed program those instead).  The promises that are sets
 *   of files (getpw, ps, tmppath, vminfo) need path rules and give
 *   ENOTSUP here.
 *
 * int vow_unveil(const char *path, const char *permissions);
 *   Adds PATH (and what lies beneath it) with PERMISSIONS, letters of
 *   r (read), w (write), x (execute), c (create and remove), l (list a
 *   directory only).  vow_unveil(NULL, NULL) then applies the rules
 *   (Landlock): from there on every other path is refused (EACCES), and
 *   vow_unveil gives EPERM.  Unlike OpenBSD, nothing is restricted before
 *   that call.  Landlock restricts the calling thread and the threads it
 *   creates afterwards, not threads that exist already: with more than one
 *   thread running, vow_unveil(NULL, NULL) gives EBUSY.  A missing PATH
 *   gives ENOENT, unknown letters EINVAL.
 */
#ifndef VOW_H
#define VOW_H

#ifdef __cplusplus
extern "C" {
#endif

int vow_pledge(const char *promises, const char *execpromises);
int vow_unveil(const char *path, const char *permissions);

#ifdef __cplusplus
}
#endif
#endif
