import pytest

from steps import storage
from steps.errors import InvalidInput, SourceUnreadable
from steps.options import validate


def test_options_defaults_and_errors():
    assert validate(None)["threshold"] == 0.5
    assert validate({"threshold": 0})["threshold"] == 0.0
    for bad, message in [({"threshold": 1.5}, "threshold"), ({"threshold": True}, "threshold"),
                         ({"colour": 1}, "unknown option"), ({"engine": "x"}, "engine"),
                         ({"entityTypes": ["NAME", "PET"]}, "entityTypes"),
                         ({"maxChunkBytes": 20_000}, "maxChunkBytes")]:
        with pytest.raises(InvalidInput, match=message):
            validate(bad)


def test_file_refs_round_trip_and_ranges(tmp_path):
    ref = storage.file_ref(tmp_path / "a dir" / "note é.txt")
    storage.write_text(ref, "héllo world")
    assert storage.read_text(ref) == "héllo world"
    assert storage.read_bytes(ref, 0, 6).decode() == "héllo"
    assert storage.size(ref) == len("héllo world".encode())
    assert list(storage.list_objects(storage.file_ref(tmp_path))) == [ref]
    assert [p.name for p in (tmp_path / "a dir").iterdir()] == ["note é.txt"], "no temporary file left"


def test_failed_write_leaves_nothing_behind(tmp_path):
    target = tmp_path / "out.txt"
    with pytest.raises(TypeError):
        storage.write_bytes(storage.file_ref(target), object())
    assert list(tmp_path.iterdir()) == []


def test_bad_refs_and_missing_objects(tmp_path):
    with pytest.raises(InvalidInput, match="scheme"):
        storage.read_bytes("http://example.org/x")
    with pytest.raises(InvalidInput, match="bucket and a key"):
        storage.parse("s3://bucket-only")
    with pytest.raises(SourceUnreadable):
        storage.read_bytes(storage.file_ref(tmp_path / "missing"))
    storage.write_bytes(storage.file_ref(tmp_path / "bin"), b"\xff\xfe")
    with pytest.raises(SourceUnreadable, match="UTF-8"):
        storage.read_text(storage.file_ref(tmp_path / "bin"))


def test_a_streamed_s3_object_larger_than_a_part_is_uploaded_in_parts(mock_s3, monkeypatch):
    monkeypatch.setattr(storage, "MULTIPART_PART_BYTES", 5 * 1024 * 1024)
    mock_s3.create_bucket(Bucket="data")
    block = b"x" * (1024 * 1024 - 1) + b"\n"
    with storage.writer("s3://data/out.jsonl") as out:
        for _ in range(11):
            out.write(block)
    body = mock_s3.get_object(Bucket="data", Key="out.jsonl")
    assert body["ContentLength"] == 11 * len(block) and "-" in body["ETag"]  # a multipart ETag
    assert b"".join(storage.read_chunks("s3://data/out.jsonl", 4096)) == block * 11
    with pytest.raises(RuntimeError), storage.writer("s3://data/failed.jsonl") as out:
        for _ in range(6):
            out.write(block)
        raise RuntimeError("stopped half-way")
    assert "Contents" not in mock_s3.list_objects_v2(Bucket="data", Prefix="failed")
    assert mock_s3.list_multipart_uploads(Bucket="data").get("Uploads", []) == []
