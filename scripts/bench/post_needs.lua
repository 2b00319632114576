-- POST distinct needs, each thread cycling over the members' tokens (TOKENS_FILE: one per line).
local tokens = {}
for line in io.lines(os.getenv("TOKENS_FILE")) do tokens[#tokens + 1] = line end
local words = {"registre", "concessions", "cimetière", "réservation", "salles", "parapheur", "archives",
  "taxes", "primes", "stationnement", "voirie", "crèches", "repas", "bibliothèque", "énergie", "compteurs",
  "patrimoine", "marchés", "congés", "recrutement", "courrier", "délibérations", "plaintes", "vélos"}
local counter = 0
local thread_id = 0
setup = function(thread) thread:set("id", thread_id); thread_id = thread_id + 1 end
request = function()
  counter = counter + 1
  local n = counter * 1000 + id
  local title = "Projet " .. n .. " " .. words[n % #words + 1] .. " " .. words[(n * 7) % #words + 1]
  local body = '{"title":"' .. title .. '","description":"Besoin numéro ' .. n .. ' de ' ..
    words[(n * 3) % #words + 1] .. ' et ' .. words[(n * 5) % #words + 1] .. '."}'
  local headers = {["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. tokens[n % #tokens + 1]}
  return wrk.format("POST", "/api/v1/needs", headers, body)
end
