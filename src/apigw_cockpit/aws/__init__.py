"""aws layer (see DESIGN section 2)."""
