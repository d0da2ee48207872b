"""No models: this app tests foundation code."""
