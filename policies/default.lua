-- default: the policy for a command vow knows nothing about.
--
-- Applied unless the command line says --no-default or gives any -f.
-- It keeps what the command needs to do ordinary work and bounds how much
-- of the machine it can take:
--   * at most 8192 open files per process;
--   * at most 1024 processes and threads alive at once (a fork bomb stops
--     there, as root too).  A nested vow cannot count processes itself (the
--     kernel gives one supervisor per sandbox); the outer cap still holds;
--   * no core dumps, no capabilities, no_new_privs (always, for every policy).
-- Promises (stdio rpath) and read-only path rules join this policy when
-- their mechanisms land; until then the file system and syscalls beyond
-- vow's baseline are not restricted by it.
vow.limit{ nofile = 8192 }
if vow.kernel().seccomp_listener then
  vow.limit{ procs = 1024 }
end
