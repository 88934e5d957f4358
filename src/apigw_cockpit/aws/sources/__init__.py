"""aws/sources layer (see DESIGN section 2)."""
