"""Helpers for building messages: this host's name for Message-ID headers."""
import socket


class CachedDnsName:
    """This host's fully qualified name, the domain of Message-ID headers.

    Looked up on first use and kept: ``socket.getfqdn()`` can take seconds
    when the resolver is slow, and the name does not change while running.
    """

    def __init__(self):
        self._fqdn = None

    def get_fqdn(self):
        if self._fqdn is None:
            self._fqdn = socket.getfqdn()
        return self._fqdn

    def __str__(self):
        return self.get_fqdn()


DNS_NAME = CachedDnsName()
