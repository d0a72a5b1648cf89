import threading
import time

from steps.engines import built_once


def test_concurrent_first_calls_build_one_engine_per_name():
    builds = []

    @built_once
    def get(name):
        builds.append(name)
        time.sleep(0.05)  # a slow model load: every thread arrives while it runs
        return object()

    results = []
    threads = [threading.Thread(target=lambda: results.append(get("ocr"))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert builds == ["ocr"] and len({id(r) for r in results}) == 1
    get.cache_clear()
    get("ocr")
    assert builds == ["ocr", "ocr"]
