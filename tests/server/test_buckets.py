"""Local buckets and signed URLs, and the real-S3 variant against moto's S3."""

import re
import time

import pytest

from hdm.server.buckets import LocalBuckets, S3Buckets
from hdm.server.validation import RequestError


@pytest.fixture
def buckets(tmp_path):
    return LocalBuckets(tmp_path / "buckets", url_ttl_seconds=60, signing_key=b"k" * 32)


def _signed_parts(url: str) -> tuple[str, str]:
    query = dict(part.split("=") for part in url.split("?", 1)[1].split("&"))
    return query["expires"], query["signature"]


def test_a_signed_url_verifies_until_it_expires(buckets):
    path = buckets.path("b", "dir/scan.png")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"x")
    expires, signature = _signed_parts(buckets.signed_url("http://127.0.0.1:1", "b", "dir/scan.png"))
    assert buckets.verify("b", "dir/scan.png", expires, signature) == path
    with pytest.raises(RequestError, match="signature") as refused:
        buckets.verify("b", "dir/other.png", expires, signature)
    assert refused.value.status == 403
    with pytest.raises(RequestError, match="signature"):
        buckets.verify("b", "dir/scan.png", str(int(expires) + 1), signature)  # extending breaks it
    past = str(int(time.time()) - 1)
    with pytest.raises(RequestError, match="expired"):
        buckets.verify("b", "dir/scan.png", past, buckets._signature("b", "dir/scan.png", int(past)))


def test_a_symlink_cannot_lead_out_of_its_bucket(buckets, tmp_path):
    (tmp_path / "secret.txt").write_text("outside")
    bucket = buckets.path("b", "placeholder").parent
    bucket.mkdir(parents=True)
    (bucket / "link").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(RequestError, match="leaves its bucket"):
        buckets.existing("b", "link")


def test_key_segments_too_long_for_a_file_name_get_a_stable_short_name(buckets):
    key = "folder/" + "é" * 300 + ".png"
    path = buckets.path("b", key)
    assert len(path.name.encode()) <= 255 and path.parent.name == "folder"
    assert buckets.path("b", key) == path
    assert buckets.path("b", "folder/" + "é" * 299 + "e.png") != path


def test_a_missing_object_is_404(buckets):
    with pytest.raises(RequestError) as missing:
        buckets.existing("b", "nothing.png")
    assert missing.value.status == 404


@pytest.fixture
def s3(mock_s3):
    mock_s3.create_bucket(Bucket="scans")
    return mock_s3


def test_s3_buckets_name_real_objects_and_presign_them(s3):
    s3.put_object(Bucket="scans", Key="ward 7/x.png", Body=b"png")
    buckets = S3Buckets(url_ttl_seconds=120)
    assert buckets.existing("scans", "ward 7/x.png") == "s3://scans/ward%207/x.png"
    url = buckets.signed_url("http://ignored", "scans", "ward 7/x.png")
    assert url.startswith("https://scans.s3.amazonaws.com/ward%207/x.png?") and "Signature=" in url
    lifetime = int(re.search(r"Expires=(\d+)", url).group(1)) - time.time()
    assert 110 < lifetime <= 120
    with pytest.raises(RequestError) as missing:
        buckets.existing("scans", "other.png")
    assert missing.value.status == 404
