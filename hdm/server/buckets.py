"""Where ``s3Bucket``/``s3Key`` point: a directory per bucket under the state dir, or real S3.

Locally, objects are ``<state dir>/buckets/<bucket>/<key>``; a key that would leave
its bucket directory (``..``, absolute paths, symlinks out) is refused. ``GET /image``
hands out URLs signed with an HMAC that this same server checks before serving.
"""

import hashlib
import hmac
import secrets
import time
from pathlib import Path
from urllib.parse import quote, urlencode

from hdm.server.validation import RequestError
from steps import storage
from steps.errors import SourceUnreadable

SIGNED_PREFIX = "/objects"


def _file_name(segment: str) -> str:
    """S3 key segments may exceed a file name's 255 bytes; such a one gets a stable shortened name."""
    if len(segment.encode()) <= 255:
        return segment
    digest = hashlib.sha256(segment.encode()).hexdigest()[:16]
    return segment.encode()[:200].decode(errors="ignore") + "~" + digest


class LocalBuckets:
    def __init__(self, root: Path, url_ttl_seconds: int = 300, signing_key: bytes | None = None):
        self.root = Path(root).resolve()
        self.url_ttl_seconds = url_ttl_seconds
        self._signing_key = signing_key or secrets.token_bytes(32)

    def path(self, bucket: str, key: str) -> Path:
        try:
            bucket_dir = (self.root / bucket).resolve()
            target = (bucket_dir / key.lstrip("/")).resolve()
        except (ValueError, OSError):  # NUL bytes, symlink loops
            raise RequestError("the bucket or key is not a usable local file name") from None
        if bucket_dir.parent != self.root:
            raise RequestError("the bucket name is not a plain directory name")
        if bucket_dir not in target.parents:
            raise RequestError("the key leaves its bucket (path traversal)")
        return bucket_dir.joinpath(*map(_file_name, target.relative_to(bucket_dir).parts))

    def ref(self, bucket: str, key: str) -> str:
        return storage.file_ref(self.path(bucket, key))

    def existing(self, bucket: str, key: str) -> str:
        """The reference of an object that exists, else 404."""
        path = self.path(bucket, key)
        try:
            found = path.is_file()
        except OSError:  # e.g. a path longer than the system allows: no such object here
            found = False
        if not found:
            raise RequestError("no such object: check s3Bucket and s3Key", status=404)
        return storage.file_ref(path)

    # -- signed URLs -------------------------------------------------------
    def _signature(self, bucket: str, key: str, expires: int) -> str:
        message = f"{bucket}\n{key}\n{expires}".encode()
        return hmac.new(self._signing_key, message, hashlib.sha256).hexdigest()

    def signed_url(self, base_url: str, bucket: str, key: str) -> str:
        self.existing(bucket, key)
        expires = int(time.time()) + self.url_ttl_seconds
        query = urlencode({"expires": expires, "signature": self._signature(bucket, key, expires)})
        return f"{base_url.rstrip('/')}{SIGNED_PREFIX}/{quote(bucket)}/{quote(key)}?{query}"

    def verify(self, bucket: str, key: str, expires: str, signature: str) -> Path:
        """The file a signed URL names, if its signature holds and it has not expired."""
        if not expires.isdigit() or not hmac.compare_digest(self._signature(bucket, key, int(expires)), signature):
            raise RequestError("the signature does not match", status=403)
        if int(expires) < time.time():
            raise RequestError("the signed URL has expired", status=403)
        path = self.path(bucket, key)
        if not path.is_file():
            raise RequestError("no such object", status=404)
        return path


class S3Buckets:
    """Real S3 (credentials from the usual AWS chain); URLs are S3 pre-signed URLs."""

    def __init__(self, url_ttl_seconds: int = 300):
        self.url_ttl_seconds = url_ttl_seconds

    def ref(self, bucket: str, key: str) -> str:
        return storage.s3_ref(bucket, key)

    def existing(self, bucket: str, key: str) -> str:
        ref = self.ref(bucket, key)
        try:
            storage.size(ref)
        except SourceUnreadable:
            raise RequestError("no such object: check s3Bucket and s3Key", status=404) from None
        return ref

    def signed_url(self, base_url: str, bucket: str, key: str) -> str:
        self.existing(bucket, key)
        return storage._s3().generate_presigned_url(
            "get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=self.url_ttl_seconds)
