"""Screens: cockpit (default), trace detail, charts, help, and the info screens."""
