"""Files as an upload hands them over: a client-chosen name (of which only
the last path component is kept), a content type and a charset."""
import io
import os

from django.core.files.base import File

__all__ = ["UploadedFile", "SimpleUploadedFile"]


class UploadedFile(File):
    """A File from a client: ``name`` is reduced to its base name (a client
    cannot choose the directory) and cut to 255 characters, keeping the
    extension."""

    def __init__(self, file=None, name=None, content_type=None, size=None, charset=None):
        super().__init__(file, name)
        self.size = size
        self.content_type = content_type
        self.charset = charset

    @property
    def name(self):
        return self._name

    @name.setter
    def name(self, value):
        if value is not None:
            # Either separator: the client may run Windows.
            value = os.path.basename(str(value).replace("\\", "/"))
            if len(value) > 255:
                root, ext = os.path.splitext(value)
                ext = ext[:255]
                value = root[: 255 - len(ext)] + ext
        self._name = value

    def __repr__(self):
        return "<%s: %s (%s)>" % (type(self).__name__, self.name, self.content_type)


class SimpleUploadedFile(UploadedFile):
    """An uploaded file made from bytes in memory, as tests build them:
    ``SimpleUploadedFile("photo.png", b"...", content_type="image/png")``."""

    def __init__(self, name, content, content_type="text/plain"):
        content = content or b""
        super().__init__(io.BytesIO(content), name, content_type, len(content), None)

    def open(self, mode=None):
        self.file.seek(0)
        return self

    @classmethod
    def from_dict(cls, file_dict):
        """From ``{"filename": ..., "content": ..., "content-type": ...}``."""
        return cls(file_dict["filename"], file_dict["content"],
                   file_dict.get("content-type", "text/plain"))
