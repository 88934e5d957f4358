"""Root causes the diagnosis knows (issue 13) whose built-in scenarios come with the world half of
that issue: blind cases in tests/blind stage the ones today's world can. Shared by the drill
coverage test (a strict xfail that fails once they land) and the architecture recipes."""

AWAITING_WORLD = frozenset(
    {
        "backend-5xx-passthrough",
        "backend-unreachable",
        "lambda-timeout",
        "authorizer-failure",
        "usage-plan-throttled",
        "recovered",
    }
)
