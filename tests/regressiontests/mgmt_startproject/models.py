"""No models: the tests write projects of their own in temporary directories."""
