"""Every page route in one place."""

HOME = "/"
LOGIN = "/login"
SIGNUP = "/signup"
PROFILE = "/profile"
DASHBOARD = "/dashboard"
DENIED = "/denied"
NOT_FOUND = "404"
