"""Services the commands and the cockpit call: open a feed, collect a round, run the engine.

Between the layers and the entry points (model <- aws <- diagnose <- incident <- service <- ui, cli):
it may use `aws/` and `diagnose/`, never Textual. Commands stay thin: parse, call one of these,
print.
"""
