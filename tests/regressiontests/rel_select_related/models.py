"""Uses the models of rel_joins."""
