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
