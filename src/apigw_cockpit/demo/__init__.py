"""demo layer (see DESIGN section 2)."""
