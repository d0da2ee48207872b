"""No models: these are unit tests of the database machinery."""
