"""incident layer (see DESIGN section 2)."""
