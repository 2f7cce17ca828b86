-- net-client: the default policy, plus name resolution and outbound TCP.
--
--   * everything the default policy allows (read-only system and project
--     trees, a private $TMPDIR, the command and what it needs to start);
--   * DNS (UDP) and TCP and UDP sockets: TCP connect to any port; TCP bind
--     refused on every port, and listen and accept too (a listen() on a
--     socket never bound would take a port without any bind);
--   * the CA certificates (under /usr/share and /etc/ssl/certs) readable.
local P = require "policy"
return P.load("default"):extend{
  promises = "dns inet",
  connect = "any",
}
