"""A progress bar on stderr (rate, ETA), fed by polling a count of what is done."""

import threading
from collections.abc import Callable

PROGRESS_INTERVAL = 0.5


class Progress:
    """A tqdm bar of ``total`` units; ``count()`` says how many are done, polled from a thread."""

    def __init__(self, total: int, count: Callable[[], int], unit: str):
        from tqdm import tqdm

        self._count = count
        self._stop = threading.Event()
        self._bar = tqdm(total=total, initial=min(count(), total), unit=unit, dynamic_ncols=True)
        self._thread = threading.Thread(target=self._loop, name="hdm-progress", daemon=True)

    def __enter__(self) -> "Progress":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._update()
        self._bar.close()

    def _update(self) -> None:
        self._bar.update(min(self._count(), self._bar.total) - self._bar.n)

    def _loop(self) -> None:
        while not self._stop.wait(PROGRESS_INTERVAL):
            self._update()
