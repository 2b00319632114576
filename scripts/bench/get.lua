-- GET one pool with a bearer token: wrk -s get.lua URL (TOKEN and POOL in the environment)
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.path = "/api/v1/pools/" .. os.getenv("POOL")
