-- default: for a command vow knows nothing about.
--
-- Applied unless the command line says --no-default or gives any -f, or
-- the project has a .vow.lua: a trusted one replaces it, an untrusted one
-- is refused until `vow trust` approves it.
--   * promises stdio rpath tmppath: compute, read files, write only in a
--     private temporary directory ($TMPDIR, made for the run and removed
--     after it); no network, no new processes, no other program run;
--   * read-only: the system trees (/usr, /opt, /etc without its secrets)
--     and the project tree (without .env files, .netrc, .git/config and
--     .git/hooks); nothing in the home directory outside the project;
--   * the command itself and the files it needs to start (its loader and
--     libraries, its #! interpreter) may be executed, nothing else;
--   * at most 8192 open files per process, 1024 processes and threads;
--   * no core dumps, no capabilities, no_new_privs (always, for every policy).
local P = require "policy"
local limits = { nofile = 8192 }
-- a nested vow cannot count processes itself (the kernel gives one
-- supervisor per sandbox); the outer sandbox's cap still holds
if vow.kernel().seccomp_listener then limits.procs = 1024 end

return P.new{
  promises = "stdio rpath",
  P.tmpdir(),
  P.system(),
  P.project(),
  P.command(),
  limits = limits,
}
