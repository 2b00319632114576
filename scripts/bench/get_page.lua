-- GET one pool's web page with a session cookie: wrk -s get_page.lua URL (SESSION and POOL in the environment)
wrk.method = "GET"
wrk.headers["Cookie"] = "mutua_session=" .. os.getenv("SESSION")
wrk.path = "/pools/" .. os.getenv("POOL")
