"""Cryptographic helpers: random strings, constant-time comparison, PBKDF2."""
import hashlib
import hmac
import secrets

from django.utils.encoding import force_bytes

RANDOM_STRING_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


class InvalidAlgorithm(ValueError):
    """The requested hash algorithm is not available."""


def salted_hmac(key_salt, value, secret=None, *, algorithm="sha1"):
    """HMAC of ``value`` keyed by ``key_salt + secret`` (default: SECRET_KEY)."""
    if secret is None:
        from django.conf import settings

        secret = settings.SECRET_KEY
    try:
        hasher = getattr(hashlib, algorithm)
    except AttributeError as err:
        raise InvalidAlgorithm("%r is not an algorithm accepted by the hashlib module." % algorithm) from err
    key = hasher(force_bytes(key_salt) + force_bytes(secret)).digest()
    return hmac.new(key, msg=force_bytes(value), digestmod=hasher)


def get_random_string(length, allowed_chars=RANDOM_STRING_CHARS):
    """A cryptographically secure random string of ``length`` characters."""
    return "".join(secrets.choice(allowed_chars) for _ in range(length))


def constant_time_compare(val1, val2):
    """True if the two strings/bytes are equal, in time independent of where they differ."""
    return secrets.compare_digest(force_bytes(val1), force_bytes(val2))


def pbkdf2(password, salt, iterations, dklen=0, digest=None):
    """PBKDF2-HMAC of ``password`` (default digest: SHA-256); returns bytes."""
    if digest is None:
        digest = hashlib.sha256
    dklen = dklen or None
    return hashlib.pbkdf2_hmac(
        digest().name, force_bytes(password), force_bytes(salt), iterations, dklen
    )
