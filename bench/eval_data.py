"""Where the benches find the evaluation data (text corpora, image sets and their scorers) by default:
a `shared/eval` folder beside the checkout, or beside the main checkout of this machine's worktrees.
Each bench also takes the folder as an option."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def default_eval_dir() -> Path:
    for candidate in (REPO.parent / "shared" / "eval", Path("/work/shared/eval")):
        if (candidate / "score_text.py").exists():
            return candidate
    return REPO.parent / "shared" / "eval"
