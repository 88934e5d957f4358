"""Cockpit panes, one module each; they render state and never fetch anything."""
