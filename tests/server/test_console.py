"""The read-only console at / in headless Chromium: it lists executions and draws one as a graph."""

import shutil

import pytest

from tests.notes import GUIDE_NOTE

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which("chromium") is None,
                       reason="chromium is not installed (apt-get install -y chromium)"),
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _run(server, body: dict) -> dict:
    started = server.client.post("/executions", json=body).json()
    return server.wait_for_execution(started["name"])


def test_console_lists_executions_and_draws_the_chosen_one(server, browser):
    succeeded = _run(server, {"workflow": "mask_text", "text": GUIDE_NOTE,
                              "destinationBucket": "out", "destinationKey": "ok.txt"})
    source = server.home / "state" / "buckets" / "in" / "bad.txt"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_bytes(b"\xff\xfe not utf-8")
    failed = _run(server, {"workflow": "mask_text", "s3Bucket": "in", "s3Key": "bad.txt",
                           "destinationBucket": "out", "destinationKey": "bad.txt"})
    assert (succeeded["status"], failed["status"]) == ("SUCCEEDED", "FAILED")

    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server.url}/#token={server.token}")
    rows = page.locator("#executions tr.execution")
    rows.first.wait_for()
    assert rows.count() == 2
    assert page.locator(f'tr[data-name="{failed["name"]}"] td.FAILED').inner_text() == "FAILED"

    page.locator(f'tr[data-name="{succeeded["name"]}"]').click()
    page.locator('#graph g[data-state="RenderText"]').wait_for()
    statuses = {node.get_attribute("data-state"): node.get_attribute("data-status")
                for node in page.locator("#graph g.node").all()}
    assert statuses["Fetch"] == statuses["DetectPhi"] == statuses["Store"] == "succeeded"
    assert statuses["JobFailed"] == "not run"
    assert page.locator('#graph path.edge[data-from="Fetch"][data-to="ChunkText"]').count() == 1
    box = page.locator('#graph g[data-state="Fetch"] rect').bounding_box()
    assert box and box["width"] > 50 and box["height"] > 20  # drawn, not just present

    page.locator(f'tr[data-name="{failed["name"]}"]').click()
    page.locator("#detail-title").filter(has_text=failed["name"]).wait_for()
    page.locator('#graph g[data-state="JobFailed"][data-status="failed"]').wait_for()
    assert page.locator('#graph g[data-state="Fetch"]').get_attribute("data-status") == "error"
    assert "SourceUnreadable" in page.locator("#states").inner_text()
    assert errors == []


def test_console_without_the_token_says_so(server, browser):
    page = browser.new_page()
    page.goto(server.url + "/")
    page.locator("#error").filter(has_text="bearer token").wait_for()
    assert page.locator("#executions tr.execution").count() == 0
