-- maze.lua: the honest mod's own module (required from beside mod.lua):
-- a breadth-first search for the shortest way through a maze.
local M = {}

local steps = { { 0, -1, "N" }, { 1, 0, "E" }, { 0, 1, "S" }, { -1, 0, "W" } }

-- rows: a list of strings, '#' a wall; returns the moves from S to E, or nil
function M.solve(rows)
  local sx, sy
  for y, row in ipairs(rows) do
    local x = row:find("S", 1, true)
    if x then sx, sy = x, y end
  end
  if not sx then return nil end
  local from = { [sy * 1000 + sx] = false }
  local queue, head = { { sx, sy } }, 1
  while queue[head] do
    local x, y = queue[head][1], queue[head][2]
    head = head + 1
    if rows[y]:sub(x, x) == "E" then
      local moves, key = {}, y * 1000 + x
      while from[key] do
        table.insert(moves, 1, from[key][2])
        key = from[key][1]
      end
      return moves
    end
    for _, s in ipairs(steps) do
      local nx, ny = x + s[1], y + s[2]
      local cell = rows[ny] and rows[ny]:sub(nx, nx) or "#"
      if cell ~= "#" and cell ~= "" and from[ny * 1000 + nx] == nil then
        from[ny * 1000 + nx] = { y * 1000 + x, s[3] }
        queue[#queue + 1] = { nx, ny }
      end
    end
  end
end

return M
