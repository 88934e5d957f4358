"""Per-scenario log phrases where a scenario's cause shows in another form than its root cause's
usual line — shared by the world test (tests/demo_world) and the simulated-server test (tests/sim).

A non-proxy Lambda integration maps the function's error to 500 through an integration response
and logs no "customer function error" line; HTTP APIs write no execution log, and their access
log quotes the cause in their own words (demo/world/http_api.py)."""

from __future__ import annotations

PHRASE_OF = {
    "shop-search-raises-trail-denied": "X-Amz-Function-Error=Unhandled",
    "http-ingest-permission-missing": "have permissions to call the integration",
    "http-devices-sg-blocked": "Execution failed due to a timeout error",
    "http-geo-partner-503": "GET /geo",  # a passthrough has no error text: the invoke status shows it
    "http-ingest-own-timeout": "Task timed out after 20.00 seconds",
    "http-devices-authorizer-permission": "have permissions to call the authorizer",
    "http-devices-jwt-audience": "the token does not have a valid audience",
    "http-events-jwt-issuer": "the token does not have a valid issuer",
}

# Scenarios whose cause raises another error metric than their root cause's usual one: a JWT
# authorizer refuses tokens with 401 itself (a 4XX storm), where a Lambda authorizer fails with 500.
ERROR_METRIC_OF = {"http-devices-jwt-audience": "4XXError", "http-events-jwt-issuer": "4XXError"}
