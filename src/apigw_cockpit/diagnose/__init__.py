"""diagnose layer (see DESIGN section 2)."""
