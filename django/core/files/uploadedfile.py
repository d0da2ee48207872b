"""Files as an upload hands them over: a client-chosen name (of which only
the last path component is kept), a content type and a charset."""
import io
import os

from django.core.files.base import File

__all__ = ["UploadedFile", "SimpleUploadedFile"]


def _client_file_name(sent):
    """The last component of a name a client sent (``/`` or ``\\``
    separated: the client may run Windows), at most 255 characters, its
    extension kept when cut."""
    base = os.path.basename(str(sent).replace("\\", "/"))
    if len(base) <= 255:
        return base
    root, ext = os.path.splitext(base)
    ext = ext[:255]
    return root[: 255 - len(ext)] + ext


class UploadedFile(File):
    """A File from a client: ``name`` is reduced to its base name (a client
    cannot choose the directory) and cut to 255 characters, keeping the
    extension."""

    def __init__(self, file=None, name=None, content_type=None, size=None, charset=None):
        super().__init__(file, name)
        self.size, self.content_type, self.charset = size, content_type, charset

    @property
    def name(self):
        return self._client_name

    @name.setter
    def name(self, sent):
        self._client_name = None if sent is None else _client_file_name(sent)

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
