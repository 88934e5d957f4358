"""One module per sub-command: `run(args) -> exit code`. Part of the cli layer."""
