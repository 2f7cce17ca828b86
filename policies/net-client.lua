-- net-client: the default policy, plus name resolution and outbound TCP.
--
--   * everything the default policy allows (read-only system and project
--     trees, a private $TMPDIR, the command and what it needs to start);
--   * DNS (UDP) and TCP and UDP sockets: TCP connect to any port; TCP bind
--     refused on every port.  (A listen() on a socket never bound still
--     gets a random port from the kernel without a bind, which Landlock
--     does not see: this policy does not stop that.)
--   * the CA certificates (under /usr/share and /etc/ssl/certs) readable.
local P = require "policy"
return P.load("default"):extend{
  promises = "dns inet",
  connect = "any",
}
