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


_KEPT_AS_IS = (
    type(None), int, float, decimal.Decimal, datetime.datetime, datetime.date, datetime.time,
)


def is_protected_type(obj):
    """True for values that strings_only=True leaves untouched."""
    return isinstance(obj, _KEPT_AS_IS)


def force_str(s, encoding="utf-8", strings_only=False, errors="strict"):
    """Return ``s`` as a str: bytes are decoded, other objects go through str()."""
    if type(s) is str or (strings_only and is_protected_type(s)):
        return s
    try:
        return s.decode(encoding, errors) if isinstance(s, bytes) else str(s)
    except UnicodeDecodeError as err:
        # Say which object could not be decoded, not just which bytes.
        raise DjangoUnicodeDecodeError(s, *err.args) from err


def force_bytes(s, encoding="utf-8", strings_only=False, errors="strict"):
    """Return ``s`` as bytes (re-encoding bytes given in another encoding)."""
    if isinstance(s, bytes):
        # Bytes are taken to be UTF-8; only another target encoding needs work.
        if encoding != "utf-8":
            s = s.decode("utf-8", errors).encode(encoding, errors)
        return s
    if isinstance(s, memoryview):
        return bytes(s)  # a buffer's raw content, not its repr
    untouched = strings_only and is_protected_type(s)
    return s if untouched else str(s).encode(encoding, errors)


def _lazy_preserving(convert, doc):
    """The smart_* flavour of a force_* function: lazy strings stay lazy."""

    def smart(s, encoding="utf-8", strings_only=False, errors="strict"):
        if isinstance(s, Promise):
            return s
        return convert(s, encoding, strings_only, errors)

    smart.__name__ = smart.__qualname__ = convert.__name__.replace("force_", "smart_")
    smart.__doc__ = doc
    return smart


smart_str = _lazy_preserving(force_str, "Like force_str() but leaves lazy strings lazy.")
smart_bytes = _lazy_preserving(force_bytes, "Like force_bytes() but leaves lazy strings lazy.")
