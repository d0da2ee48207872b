"""No models: inspectdb reads tables the tests create by hand."""
