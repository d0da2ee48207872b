"""Cryptographic helpers: random strings, constant-time comparison, PBKDF2."""
import hashlib
import hmac
import secrets
import string

from django.utils.encoding import force_bytes

# Letters and digits: safe in URLs, file names and most identifiers.
RANDOM_STRING_CHARS = string.ascii_letters + string.digits


class InvalidAlgorithm(ValueError):
    """The requested hash algorithm is not available."""


def _hash_constructor(algorithm):
    constructor = getattr(hashlib, algorithm, None)
    if constructor is None:
        raise InvalidAlgorithm(
            "%r is not an algorithm accepted by the hashlib module." % algorithm
        )
    return constructor


def salted_hmac(key_salt, value, secret=None, *, algorithm="sha1"):
    """HMAC of ``value`` keyed by ``key_salt + secret`` (default: SECRET_KEY)."""
    digest = _hash_constructor(algorithm)
    if secret is None:
        from django.conf import settings

        secret = settings.SECRET_KEY
    # Hashing the salt into the key gives every use of the secret its own
    # HMAC key, so a signature made for one purpose is useless for another.
    key = digest(force_bytes(key_salt) + force_bytes(secret)).digest()
    return hmac.new(key, msg=force_bytes(value), digestmod=digest)


def get_random_string(length, allowed_chars=RANDOM_STRING_CHARS):
    """A cryptographically secure random string of ``length`` characters."""
    return "".join(secrets.choice(allowed_chars) for _ in range(length))


def constant_time_compare(val1, val2):
    """True if the two strings/bytes are equal, in time independent of where they differ."""
    return secrets.compare_digest(force_bytes(val1), force_bytes(val2))


def pbkdf2(password, salt, iterations, dklen=0, digest=None):
    """PBKDF2-HMAC of ``password`` (default digest: SHA-256); returns bytes."""
    algorithm = (digest or hashlib.sha256)().name
    # hashlib wants None, not 0, for "the digest's natural length".
    return hashlib.pbkdf2_hmac(
        algorithm, force_bytes(password), force_bytes(salt), iterations, dklen or None
    )
