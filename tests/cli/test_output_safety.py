"""No writer may overwrite its input through another spelling of the input's path."""

import subprocess
import sys

import pytest
from PIL import Image

from steps import storage
from steps.errors import InvalidInput


@pytest.fixture
def image(tmp_path):
    path = tmp_path / "scans" / "in.png"
    path.parent.mkdir()
    Image.new("L", (64, 32), 200).save(path)
    return path


def _aliases(image):
    """Each names ``image`` without being its plain path."""
    linked = image.parent.parent / "linked"
    linked.symlink_to(image.parent, target_is_directory=True)
    hard = image.parent / "hard.png"
    hard.hardlink_to(image)
    quoted = storage.file_ref(image).replace("/in.png", "/%69n.png")
    return {"double slash": "/" + str(image), "symlinked folder": str(linked / "in.png"),
            "percent-encoded file URL": quoted, "dot segments": str(image.parent / ".." / "scans" / "in.png"),
            "hard link": str(hard)}


def _ref(value: str) -> str:
    return value if value.startswith("file://") else storage.file_ref(value)


def test_every_alias_of_the_input_is_the_same_object(image):
    source = storage.file_ref(image)
    for form, alias in _aliases(image).items():
        assert storage.same_object(source, _ref(alias)), form
        with pytest.raises(InvalidInput, match="names the source"):
            storage.refuse_same(source, _ref(alias))
    assert not storage.same_object(source, storage.file_ref(image.with_name("out.png")))
    assert storage.same_object("s3://b/k%20x", "s3://b/k x") and not storage.same_object("s3://b/k", "s3://c/k")


@pytest.mark.parametrize("form", ["double slash", "symlinked folder", "percent-encoded file URL"])
def test_mask_image_refuses_an_output_that_aliases_its_input(image, form, tmp_path):
    before = image.read_bytes()
    output = _aliases(image)[form]
    result = subprocess.run([sys.executable, "-m", "hdm.cli", "--state-dir", str(tmp_path / "state"),
                             "mask-image", str(image), "-o", output], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.startswith("hdm: error: ") and "names the source" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert image.read_bytes() == before


def test_mask_text_jsonl_refuses_an_output_that_aliases_its_input(tmp_path):
    notes = tmp_path / "notes.jsonl"
    notes.write_text('{"text": "Seen by Dr. Smith"}\n')
    before = notes.read_bytes()
    result = subprocess.run([sys.executable, "-m", "hdm.cli", "--state-dir", str(tmp_path / "state"),
                             "mask-text", "--jsonl", str(notes), "-o", "/" + str(notes)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "names the source" in result.stderr
    assert notes.read_bytes() == before
