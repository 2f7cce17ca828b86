-- honest: a well-behaved game mod (demo/run, part 2).  The game sends it a
-- level on stdin; it finds the shortest way from S to E with a module of
-- its own (maze.lua, beside it) and answers on stdout:
--   path N MOVES      N steps, MOVES a string of N, E, S, W
local maze = require "maze"

local rows = {}
for line in io.lines() do rows[#rows + 1] = line end
local moves = maze.solve(rows)
if not moves then
  print("path none")
  os.exit(1)
end
print(("path %d %s"):format(#moves, table.concat(moves)))
