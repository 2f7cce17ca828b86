-- readonly: look at files, change nothing.
--
-- The default policy with its private temporary directory taken away:
-- read-only system and project trees, the command and what it needs to
-- start, no writes anywhere (not even $TMPDIR), no network, no other
-- program run.  For ls, grep, diff, linters, viewers.
local P = require "policy"
return P.load("default"):without{ promises = "tmppath" }
