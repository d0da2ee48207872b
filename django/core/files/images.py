"""Image dimensions, read with Pillow (imported only when first needed, so
projects without images do not need it installed)."""
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import File

__all__ = ["ImageFile", "get_image_dimensions", "pillow_image_module"]


def pillow_image_module(for_what="reading image dimensions"):
    """``PIL.Image``, or ImproperlyConfigured saying Pillow is needed ``for_what``."""
    try:
        from PIL import Image
    except ImportError:
        raise ImproperlyConfigured(
            "Pillow is required for %s, but it is not installed "
            "(python -m pip install Pillow)." % for_what
        ) from None
    return Image


def get_image_dimensions(file_or_path, for_what="reading image dimensions"):
    """``(width, height)`` of an image file (a path or a file object, whose
    read position is kept), or ``(None, None)`` if it is not an image Pillow
    can read."""
    image_module = pillow_image_module(for_what)
    if isinstance(file_or_path, str):
        with open(file_or_path, "rb") as handle:
            return _dimensions(image_module, handle)
    stream = getattr(file_or_path, "file", file_or_path)
    position = stream.tell() if hasattr(stream, "tell") else None
    try:
        if position is not None:
            stream.seek(0)
        return _dimensions(image_module, stream)
    finally:
        if position is not None:
            stream.seek(position)


def _dimensions(image_module, stream):
    try:
        with image_module.open(stream) as image:
            return image.size  # read from the header, not the pixels
    except (OSError, SyntaxError, ValueError):
        return None, None


class ImageFile(File):
    """A File with ``width`` and ``height`` (measured once, with Pillow)."""

    @property
    def width(self):
        return self._pixel_size()[0]

    @property
    def height(self):
        return self._pixel_size()[1]

    def _pixel_size(self):
        known = self.__dict__.get("_pixel_size_known")
        if known is None:
            known = self.__dict__["_pixel_size_known"] = self._measure()
        return known

    def _forget_pixel_size(self):
        self.__dict__.pop("_pixel_size_known", None)

    def _measure(self):
        return get_image_dimensions(self.open())
