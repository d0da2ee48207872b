"""autodiscover_modules() must propagate this error."""
raise RuntimeError("discovery failed")
