-- cpu.lua: a CPU-bound Lua workload for bench/run (about half a second):
-- a prime sieve, table sorting, string building and closures.
local function sieve(n)
  local composite, count = {}, 0
  for i = 2, n do
    if not composite[i] then
      count = count + 1
      for j = i * i, n, i do composite[j] = true end
    end
  end
  return count
end

local function shuffle_sort(n, seed)
  local t, x = {}, seed
  for i = 1, n do
    x = (x * 1103515245 + 12345) % 2147483648
    t[i] = x
  end
  table.sort(t)
  return t[n // 2]
end

local function strings(n)
  local parts = {}
  for i = 1, n do parts[#parts + 1] = string.format("%d:%x", i, i * 31) end
  local s = table.concat(parts, ",")
  local sum = 0
  for a, b in s:gmatch("(%d+):(%x+)") do sum = sum + tonumber(a) + tonumber(b, 16) % 7 end
  return sum
end

local function closures(n)
  local acc = 0
  local add = function(k) return function(v) return v + k end end
  for i = 1, n do acc = add(i % 13)(acc) % 1000003 end
  return acc
end

print(sieve(2000000), shuffle_sort(300000, 42), strings(150000), closures(2000000))
