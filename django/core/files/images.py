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
    """A File with ``width`` and ``height`` (read once, with Pillow)."""

    @property
    def width(self):
        return self._get_image_dimensions()[0]

    @property
    def height(self):
        return self._get_image_dimensions()[1]

    def _get_image_dimensions(self):
        if "_dimensions_cache" not in self.__dict__:
            self.open()
            self._dimensions_cache = get_image_dimensions(self)
        return self._dimensions_cache
