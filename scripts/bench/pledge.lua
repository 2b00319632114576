-- PUT pledges on POOLS_FILE's pools (one id per line) from TOKENS_FILE's organisations.
local tokens, pools = {}, {}
for line in io.lines(os.getenv("TOKENS_FILE")) do tokens[#tokens + 1] = line end
for line in io.lines(os.getenv("POOLS_FILE")) do pools[#pools + 1] = line end
local counter = 0
local thread_id = 0
setup = function(thread) thread:set("id", thread_id); thread_id = thread_id + 1 end
request = function()
  counter = counter + 1
  local n = counter * 7919 + id * 104729
  local headers = {["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. tokens[n % #tokens + 1]}
  local body = '{"amount_cents":' .. (100 + n % 10000) .. '}'
  return wrk.format("PUT", "/api/v1/pools/" .. pools[(n * 31) % #pools + 1] .. "/pledge", headers, body)
end
