"""Helpers for building messages: this host's name for Message-ID headers."""
import socket
from functools import cached_property


class CachedDnsName:
    """This host's fully qualified name, the domain of Message-ID headers.

    Looked up on first use and kept: ``socket.getfqdn()`` can take seconds
    when the resolver is slow, and the name does not change while running.
    """

    @cached_property
    def host_name(self):
        return socket.getfqdn()

    def get_fqdn(self):
        return self.host_name

    def __str__(self):
        return self.host_name


DNS_NAME = CachedDnsName()
