"""An API destination that names its source through an alias is refused before anything runs."""

import pytest
from PIL import Image


@pytest.fixture(scope="module")
def bucket(server):
    """A bucket holding in.png, a symlinked folder onto its own root and a hard link to in.png."""
    root = server.home / "state" / "buckets" / "aliases"
    root.mkdir(parents=True)
    Image.new("L", (64, 32), 200).save(root / "in.png")
    (root / "linked").symlink_to(root, target_is_directory=True)
    (root / "hard.png").hardlink_to(root / "in.png")
    return root


@pytest.mark.parametrize("route", ["/image/mask", "/executions"])
@pytest.mark.parametrize("destination_key", ["linked/in.png", "linked/linked/in.png", "hard.png"])
def test_a_destination_aliasing_the_source_is_a_400(server, bucket, route, destination_key):
    before = (bucket / "in.png").read_bytes()
    body = {"s3Bucket": "aliases", "s3Key": "in.png", "destinationBucket": "aliases",
            "destinationKey": destination_key}
    if route == "/executions":
        body["workflow"] = "mask_image"
    response = server.client.post(route, json=body)
    assert response.status_code == 400, response.text
    assert "must differ from the source" in response.json()["message"]
    assert (bucket / "in.png").read_bytes() == before
