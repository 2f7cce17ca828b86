-- sh: a shell script or pipeline and the ordinary programs it runs.
--
--   * sh and the programs of the system trees executable (ls, grep, sort,
--     sed, awk ...); the system trees and the project tree read-only
--     (without secrets);
--   * pipes and new processes; a private $TMPDIR, writable (redirect
--     output there); nothing else written;
--   * no network.  No process cap: vow's cap (-P) intercepts every fork,
--     and a signal arriving before vow has read the fork fails it with
--     EINTR, which shells do not retry; add -P N to bound a runaway.
local P = require "policy"
return P.new{
  promises = "stdio rpath proc exec",
  P.tmpdir(),
  P.system("rx"),
  P.project(),
  P.command(),
  limits = { nofile = 1024 },
}
