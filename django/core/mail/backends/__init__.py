"""Email backends: each delivers EmailMessage objects one way (see django.core.mail)."""
