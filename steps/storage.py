"""Objects addressed by reference: ``s3://bucket/key`` on AWS, ``file:///path`` locally.

States pass these references instead of content. Writes are atomic: a reader sees
the whole object or nothing (a temporary file renamed into place locally; S3 puts
are atomic by nature), so a failed run never leaves a half-written output.
"""

import contextlib
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from functools import lru_cache
from typing import BinaryIO
from urllib.parse import quote, unquote, urlparse

from steps.errors import InvalidInput, SourceUnreadable, StepError, TransientError

SCHEMES = ("s3", "file")
# S3 multipart uploads take parts of at least 5 MiB (all but the last).
MULTIPART_PART_BYTES = 8 * 1024 * 1024


def parse(ref: str) -> tuple[str, str, str]:
    """Split a reference into (scheme, bucket, key); a file reference has no bucket."""
    if not isinstance(ref, str) or not ref:
        raise InvalidInput("an object reference must be a non-empty string")
    if ref.startswith("file:///") and "?" not in ref and "#" not in ref:  # the common case, without urlparse
        return "file", "", unquote(ref[7:])
    parsed = urlparse(ref)
    if parsed.scheme == "s3":
        if not parsed.netloc or not parsed.path.lstrip("/"):
            raise InvalidInput("an s3 reference needs a bucket and a key: s3://bucket/key")
        return "s3", parsed.netloc, unquote(parsed.path.lstrip("/"))
    if parsed.scheme == "file":
        if parsed.netloc not in ("", "localhost"):
            raise InvalidInput("a file reference must be absolute: file:///path")
        return "file", "", unquote(parsed.path)
    raise InvalidInput(f"unsupported reference scheme {parsed.scheme!r}; use one of {SCHEMES}")


def file_ref(path: str | os.PathLike) -> str:
    """The reference of a local path, made absolute (symbolic links are kept: no disk access)."""
    return "file://" + quote(os.path.abspath(path))


def folder_ref(path: str | os.PathLike) -> str:
    """The reference of a local folder, as a prefix: it ends with a slash."""
    return file_ref(path) + "/"


def same_object(first: str, second: str) -> bool:
    """Whether two references name one object, however spelled: the same bucket and key, or local
    paths that resolve to the same file (``//a``, symlinked folders, ``%69``) or are one file on disk
    (the same device and inode: hard links, bind mounts)."""
    first_scheme, first_bucket, first_key = parse(first)
    second_scheme, second_bucket, second_key = parse(second)
    if first_scheme != second_scheme:
        return False
    if first_scheme == "s3":
        return (first_bucket, first_key) == (second_bucket, second_key)
    if os.path.realpath(first_key) == os.path.realpath(second_key):
        return True
    try:
        return os.path.samefile(first_key, second_key)
    except (OSError, ValueError):  # one of them does not exist (yet), or holds a NUL byte
        return False


def refuse_same(source: str, destination: str) -> None:
    """Every writer's check before it starts: an output must never overwrite its input."""
    if same_object(source, destination):
        raise InvalidInput("the destination names the source object (through another spelling of its path)")


def s3_ref(bucket: str, key: str) -> str:
    return f"s3://{bucket}/{quote(key)}"


def join(prefix: str, name: str) -> str:
    return prefix.rstrip("/") + "/" + quote(name)


@lru_cache(maxsize=1)
def _s3():
    import boto3

    return boto3.client("s3")


def _s3_error(exc: Exception) -> Exception:
    from botocore.exceptions import BotoCoreError, ClientError

    if isinstance(exc, ClientError):
        code = exc.response.get("Error", {}).get("Code", "")
        if code in ("NoSuchKey", "NoSuchBucket", "404", "AccessDenied", "403", "InvalidRange"):
            return SourceUnreadable(f"object not readable: {code}")
        if code in ("SlowDown", "503", "500", "InternalError", "RequestTimeout"):
            return TransientError(f"storage temporarily unavailable: {code}")
        return SourceUnreadable(f"storage error: {code}")
    if isinstance(exc, BotoCoreError):
        return TransientError(f"storage request failed: {type(exc).__name__}")
    return exc


def _open_local(path: str) -> BinaryIO:
    """A local object opened for reading; a missing or unreadable one is SourceUnreadable."""
    try:
        return open(path, "rb")  # noqa: SIM115 - the caller closes it
    except (FileNotFoundError, IsADirectoryError, PermissionError, NotADirectoryError) as exc:
        raise SourceUnreadable(f"object not readable: {type(exc).__name__}") from None


def read_bytes(ref: str, start: int | None = None, end: int | None = None) -> bytes:
    """Read a whole object, or bytes [start, end) of it."""
    scheme, bucket, key = parse(ref)
    if scheme == "file":
        with _open_local(key) as f:
            if start is None:
                return f.read()
            f.seek(start)
            return f.read((end - start) if end is not None else -1)
    kwargs = {"Bucket": bucket, "Key": key}
    if start is not None:
        kwargs["Range"] = f"bytes={start}-{'' if end is None else end - 1}"
    try:
        return _s3().get_object(**kwargs)["Body"].read()
    except Exception as exc:  # botocore raises several families; map them to step errors
        raise _s3_error(exc) from None


@contextlib.contextmanager
def opened(ref: str) -> Iterator[BinaryIO]:
    """A whole object as a binary file: a local file is read from disk as it is needed, an
    S3 object is read into memory."""
    scheme, _, key = parse(ref)
    if scheme != "file":
        yield io.BytesIO(read_bytes(ref))
        return
    with _open_local(key) as stream:
        yield stream


def size(ref: str) -> int:
    scheme, bucket, key = parse(ref)
    if scheme == "file":
        try:
            return os.stat(key).st_size
        except OSError as exc:
            raise SourceUnreadable(f"object not readable: {type(exc).__name__}") from None
    try:
        return _s3().head_object(Bucket=bucket, Key=key)["ContentLength"]
    except Exception as exc:
        raise _s3_error(exc) from None


def _unwritable() -> InvalidInput:
    return InvalidInput("the destination is a folder, or lies under a file: it cannot be written")


class _FileWriter:
    """Writes into a hidden temporary file beside ``path``; ``commit`` renames it into place."""

    def __init__(self, path: str):
        if os.path.isdir(path):
            raise _unwritable()
        folder, _, name = path.rpartition("/")
        try:
            try:
                fd, self._tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".partial")
            except FileNotFoundError:  # the first write into a new folder
                os.makedirs(folder, exist_ok=True)
                fd, self._tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".partial")
        except (NotADirectoryError, FileExistsError):  # a file where a folder of the path should be
            raise _unwritable() from None
        self._path = path
        self._file = os.fdopen(fd, "wb")
        self.write = self._file.write

    def commit(self) -> None:
        self._file.close()
        try:
            os.replace(self._tmp, self._path)
        except IsADirectoryError:  # a folder appeared at the destination meanwhile
            self.discard()
            raise _unwritable() from None

    def discard(self) -> None:
        self._file.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._tmp)


class _S3Writer:
    """Buffers up to one part; a larger object goes up as a multipart upload, completed by ``commit``."""

    def __init__(self, bucket: str, key: str, content_type: str):
        self._bucket, self._key, self._content_type = bucket, key, content_type
        self._buffer = bytearray()
        self._upload_id = None
        self._parts: list[dict] = []

    def write(self, data: bytes) -> None:
        self._buffer += data
        if len(self._buffer) >= MULTIPART_PART_BYTES:
            self._upload_part()

    def _upload_part(self) -> None:
        if self._upload_id is None:
            self._upload_id = _s3().create_multipart_upload(
                Bucket=self._bucket, Key=self._key, ContentType=self._content_type)["UploadId"]
        number = len(self._parts) + 1
        etag = _s3().upload_part(Bucket=self._bucket, Key=self._key, UploadId=self._upload_id,
                                 PartNumber=number, Body=bytes(self._buffer))["ETag"]
        self._parts.append({"PartNumber": number, "ETag": etag})
        self._buffer.clear()

    def commit(self) -> None:
        if self._upload_id is None:
            _s3().put_object(Bucket=self._bucket, Key=self._key, Body=bytes(self._buffer),
                             ContentType=self._content_type)
            return
        if self._buffer:
            self._upload_part()
        _s3().complete_multipart_upload(Bucket=self._bucket, Key=self._key, UploadId=self._upload_id,
                                        MultipartUpload={"Parts": self._parts})

    def discard(self) -> None:
        if self._upload_id is not None:
            with contextlib.suppress(Exception):  # the bucket's lifecycle rule aborts what is left
                _s3().abort_multipart_upload(Bucket=self._bucket, Key=self._key, UploadId=self._upload_id)


@contextlib.contextmanager
def writer(ref: str, content_type: str = "application/octet-stream"):
    """An object written piece by piece (``.write(bytes)``) and published whole when the block ends.

    Readers never see a part of it: locally a temporary file is renamed into place; on S3
    a multipart upload is completed. An exception discards what was written.
    """
    scheme, bucket, key = parse(ref)
    target = _FileWriter(key) if scheme == "file" else _S3Writer(bucket, key, content_type)
    try:
        yield target
        target.commit()
    except BaseException as exc:
        target.discard()
        if scheme == "s3" and not isinstance(exc, (StepError, KeyboardInterrupt)):
            raise _s3_error(exc) from None
        raise


def write_bytes(ref: str, data: bytes | BinaryIO, content_type: str = "application/octet-stream") -> None:
    """Write ``data``: bytes, or a binary file read from its current position (for results too
    large to hold twice in memory)."""
    with writer(ref, content_type) as out:
        if not hasattr(data, "read"):
            out.write(data)
            return
        while piece := data.read(MULTIPART_PART_BYTES):
            out.write(piece)


def read_chunks(ref: str, size: int = 1024 * 1024) -> Iterator[bytes]:
    """The object's bytes in pieces of about ``size``: a file of any length in bounded memory."""
    scheme, bucket, key = parse(ref)
    if scheme == "file":
        with _open_local(key) as source:
            while piece := source.read(size):
                yield piece
        return
    try:
        body = _s3().get_object(Bucket=bucket, Key=key)["Body"]
        yield from body.iter_chunks(size)
    except Exception as exc:
        raise _s3_error(exc) from None


def read_text(ref: str) -> str:
    data = read_bytes(ref)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise SourceUnreadable("the document is not valid UTF-8 text") from None


def write_text(ref: str, text: str) -> None:
    write_bytes(ref, text.encode("utf-8"), "text/plain; charset=utf-8")


def read_json(ref: str):
    return json.loads(read_bytes(ref))


def write_json(ref: str, value) -> None:
    write_bytes(ref, json.dumps(value, ensure_ascii=False).encode("utf-8"), "application/json")


def copy(source: str, destination: str) -> None:
    write_bytes(destination, read_bytes(source))


def _files(folder: str) -> Iterator[os.DirEntry]:
    """The files under ``folder``, depth first in name order: the order of their sorted paths."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _files(entry.path)
        elif entry.is_file():
            yield entry


def list_entries(prefix: str) -> Iterator[dict]:
    """Every object under ``prefix`` in a stable order, in the shape of S3 ListObjectsV2 ``Contents``.

    A file's ``Key`` is its absolute path and its ``ETag`` is made of its mtime and size,
    so that, as with S3, a changed file has a new version.
    """
    scheme, bucket, key = parse(prefix)
    if scheme == "file":
        for entry in _files(key):
            stat = entry.stat()
            yield {"Key": entry.path, "Size": stat.st_size, "ETag": f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'}
        return
    paginator = _s3().get_paginator("list_objects_v2")
    try:
        for page in paginator.paginate(Bucket=bucket, Prefix=key):
            for obj in page.get("Contents", []):
                yield {"Key": obj["Key"], "Size": obj["Size"], "ETag": obj["ETag"]}
    except Exception as exc:
        raise _s3_error(exc) from None


def list_objects(prefix: str) -> Iterator[str]:
    """Every object under ``prefix``, as references, in a stable order."""
    bucket = parse(prefix)[1]
    for entry in list_entries(prefix):
        yield s3_ref(bucket, entry["Key"]) if bucket else file_ref(entry["Key"])


def delete(ref: str) -> None:
    """Remove one object; missing is fine."""
    scheme, bucket, key = parse(ref)
    if scheme == "file":
        with contextlib.suppress(FileNotFoundError):
            os.unlink(key)
        return
    try:
        _s3().delete_object(Bucket=bucket, Key=key)
    except Exception as exc:
        raise _s3_error(exc) from None


def delete_prefix(prefix: str) -> None:
    """Remove a work area; missing is fine."""
    scheme, bucket, key = parse(prefix)
    if scheme == "file":
        shutil.rmtree(key, ignore_errors=True)
        return
    for ref in list_objects(prefix):
        _s3().delete_object(Bucket=bucket, Key=parse(ref)[2])
