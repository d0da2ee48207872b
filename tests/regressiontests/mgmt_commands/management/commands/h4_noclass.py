"""A command module without a Command class (an error to load)."""
