-- geometry.lua: greedy's helper module, loaded with require from beside
-- mod.lua (a mod can require its own modules, nothing else).
local M = {}

function M.distance(x1, y1, x2, y2)
  return math.abs(x1 - x2) + math.abs(y1 - y2)
end

-- the move that takes (x, y) one step nearer to (tx, ty), x first
function M.step(x, y, tx, ty)
  if tx > x then return "E" elseif tx < x then return "W"
  elseif ty > y then return "S" elseif ty < y then return "N" end
  return "stay"
end

return M
