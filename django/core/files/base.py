"""File objects the storage layer and FileField hand around.

``File`` wraps any Python file object (an open file on disk, a BytesIO...)
and adds what storage needs: a ``name``, a ``size`` that does not move the
read position, and ``chunks()`` for copying without reading everything at
once. Reads, writes and seeks go to the wrapped object.

``ContentFile`` is a File over text or bytes held in memory: the usual way
to hand generated content to ``storage.save()`` or ``FieldFile.save()``.
"""
import io
import os

__all__ = ["File", "ContentFile"]

# Methods forwarded to the wrapped file object as they are.
_FORWARDED = (
    "read", "readline", "readlines", "write", "writelines", "seek", "tell",
    "truncate", "flush", "fileno", "readable", "writable", "seekable", "isatty",
    "encoding", "newlines",
)

def _continues(line, following):
    """Is ``following`` (text or bytes) the rest of ``line``?"""
    last = line[-1:]
    if last in ("\r", b"\r"):
        return following[:1] in ("\n", b"\n")
    return last not in ("\n", b"\n")


class File:
    """A named file: ``File(file_object, name=None)``; the name defaults to
    the wrapped object's own ``name`` attribute."""

    DEFAULT_CHUNK_SIZE = 64 * 2 ** 10

    def __init__(self, file, name=None):
        self.file = file
        self.name = getattr(file, "name", None) if name is None else name
        mode = getattr(file, "mode", None)
        if mode is not None:  # what open() reopens a closed file with
            self.mode = mode

    def __getattr__(self, attribute):
        # Only reached for names File itself lacks: the file methods.
        if attribute in _FORWARDED:
            wrapped = self.file  # a subclass may open it on demand
            if wrapped is not None:
                return getattr(wrapped, attribute)
        raise AttributeError("%r object has no attribute %r" % (type(self).__name__, attribute))

    def __str__(self):
        return self.name or ""

    def __repr__(self):
        return "<%s: %s>" % (type(self).__name__, self or "None")

    def __bool__(self):
        # Always true, whether named, empty or closed (len() is the size).
        return True

    def __len__(self):
        return self.size

    @property
    def size(self):
        """Length in bytes (characters for a text stream), without moving
        the read position."""
        if "_size" in self.__dict__:
            return self._size
        wrapped = self.file
        if hasattr(wrapped, "size"):
            return wrapped.size
        if hasattr(wrapped, "name"):
            try:
                return os.path.getsize(wrapped.name)
            except (OSError, TypeError):
                pass
        if hasattr(wrapped, "tell") and hasattr(wrapped, "seek"):
            here = wrapped.tell()
            wrapped.seek(0, os.SEEK_END)
            end = wrapped.tell()
            wrapped.seek(here)
            return end
        raise AttributeError("Unable to determine the size of %r." % (self,))

    @size.setter
    def size(self, value):
        self._size = value

    def chunks(self, chunk_size=None):
        """The content from the start, in pieces of at most ``chunk_size``."""
        chunk_size = chunk_size or self.DEFAULT_CHUNK_SIZE
        if hasattr(self.file, "seek"):
            try:
                self.file.seek(0)
            except (AttributeError, OSError, io.UnsupportedOperation):
                pass
        while True:
            piece = self.file.read(chunk_size)
            if not piece:
                return
            yield piece

    def multiple_chunks(self, chunk_size=None):
        """Would chunks() yield more than one piece?"""
        return self.size > (chunk_size or self.DEFAULT_CHUNK_SIZE)

    def __iter__(self):
        """The lines of the content (``\\n``, ``\\r\\n`` or ``\\r`` ends a line),
        each with its line ending."""
        # The last piece of each chunk waits for the next chunk, which may
        # continue it: a line without its end yet, or a "\r" whose "\n"
        # starts the next chunk ("\r\n" split between two chunks).
        waiting = None
        for chunk in self.chunks():
            pieces = chunk.splitlines(True)
            if waiting is not None:
                if _continues(waiting, pieces[0]):
                    pieces[0] = waiting + pieces[0]
                else:
                    yield waiting
            waiting = pieces.pop()
            yield from pieces
        if waiting is not None:
            yield waiting

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    @property
    def closed(self):
        return not self.file or self.file.closed

    def open(self, mode=None):
        """Rewind an open file, or reopen a closed one by its name."""
        if self.closed:
            if not (self.name and os.path.exists(self.name)):
                raise ValueError("The file %r cannot be reopened." % (self.name,))
            self.file = open(self.name, mode or getattr(self, "mode", "rb"))
        else:
            self.file.seek(0)
        return self

    def close(self):
        self.file.close()


class ContentFile(File):
    """A File over content held in memory: ``ContentFile(b"data", name="a.bin")``
    (bytes) or ``ContentFile("text")`` (str)."""

    def __init__(self, content, name=None):
        memory = (io.StringIO if isinstance(content, str) else io.BytesIO)(content)
        super().__init__(memory, name=name)
        self._size = len(content)  # known: no need to seek to the end

    def __str__(self):
        return "Raw content"

    def open(self, mode=None):
        """Rewind: the content is never really closed (see close())."""
        self.file.seek(0)
        return self

    def close(self):
        """Nothing to release: the content stays readable."""
