"""Signals: decoupled notifications from senders to connected receivers."""
from django.dispatch.dispatcher import Signal, receiver

__all__ = ["Signal", "receiver"]
