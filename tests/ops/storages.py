import errno

from django.core.files.storage import FileSystemStorage


class FullDiskStorage(FileSystemStorage):
    """A disk with no space left: every write fails as the kernel would report it."""

    def _save(self, name, content):
        raise OSError(errno.ENOSPC, "No space left on device")
