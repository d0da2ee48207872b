"""Models module without models."""
