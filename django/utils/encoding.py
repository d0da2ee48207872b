"""Conversions between str and bytes that tolerate lazy and non-string values."""
import datetime
import decimal

from django.utils.functional import Promise


class DjangoUnicodeDecodeError(UnicodeDecodeError):
    """A UnicodeDecodeError that also shows the object that failed to decode."""

    def __init__(self, obj, *args):
        self.obj = obj
        super().__init__(*args)

    def __str__(self):
        return "%s. You passed in %r (%s)" % (super().__str__(), self.obj, type(self.obj))


_PROTECTED_TYPES = (
    type(None), int, float, decimal.Decimal, datetime.datetime, datetime.date, datetime.time,
)


def is_protected_type(obj):
    """True for values that strings_only=True leaves untouched."""
    return isinstance(obj, _PROTECTED_TYPES)


def smart_str(s, encoding="utf-8", strings_only=False, errors="strict"):
    """Like force_str() but leaves lazy strings lazy."""
    if isinstance(s, Promise):
        return s
    return force_str(s, encoding, strings_only, errors)


def force_str(s, encoding="utf-8", strings_only=False, errors="strict"):
    """Return ``s`` as a str: bytes are decoded, other objects go through str()."""
    if type(s) is str:
        return s
    if strings_only and is_protected_type(s):
        return s
    try:
        if isinstance(s, bytes):
            return str(s, encoding, errors)
        return str(s)
    except UnicodeDecodeError as err:
        raise DjangoUnicodeDecodeError(s, *err.args) from err


def smart_bytes(s, encoding="utf-8", strings_only=False, errors="strict"):
    """Like force_bytes() but leaves lazy strings lazy."""
    if isinstance(s, Promise):
        return s
    return force_bytes(s, encoding, strings_only, errors)


def force_bytes(s, encoding="utf-8", strings_only=False, errors="strict"):
    """Return ``s`` as bytes (re-encoding bytes given in another encoding)."""
    if isinstance(s, bytes):
        if encoding == "utf-8":
            return s
        return s.decode("utf-8", errors).encode(encoding, errors)
    if strings_only and is_protected_type(s):
        return s
    if isinstance(s, memoryview):
        return bytes(s)
    return str(s).encode(encoding, errors)
