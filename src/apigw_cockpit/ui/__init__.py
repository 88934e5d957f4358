"""ui layer (see DESIGN section 2)."""
