"""No models: the tests inspect the tables of fixtures_rel."""
