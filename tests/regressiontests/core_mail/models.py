"""No models: this app tests django.core.mail."""
