-- sh: a shell script or pipeline and the ordinary programs it runs.
--
--   * sh and the programs of the system trees executable (ls, grep, sort,
--     sed, awk ...); the system trees and the project tree read-only
--     (without secrets);
--   * pipes and new processes; a private $TMPDIR, writable (redirect
--     output there); nothing else written;
--   * no network; at most 256 processes.
local P = require "policy"
return P.new{
  promises = "stdio rpath proc exec",
  P.tmpdir(),
  P.system("rx"),
  P.project(),
  P.command(),
  limits = { procs = 256, nofile = 1024 },
}
