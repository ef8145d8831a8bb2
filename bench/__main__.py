"""`make bench`: run every bench/bench_*.py (or those named) and save their figures.

python -m bench                   # all benchmarks
python -m bench listings          # only bench/bench_listings.py
python -m bench load --quick      # one benchmark with its options (python -m bench load --help)
python -m bench --help            # this text and the benchmarks there are
"""

import ast
import importlib
import sys
from pathlib import Path

from bench.common import save_results

HERE = Path(__file__).resolve().parent


def summary(name: str) -> str:
    """The first line of a benchmark's docstring, read without importing it."""
    tree = ast.parse((HERE / f"bench_{name}.py").read_text())
    return (ast.get_docstring(tree) or "").split("\n")[0]


def split_argv(argv: list[str], known: list[str]) -> tuple[list[str], list[str]]:
    """Leading benchmark names, and the options after them (for one benchmark only)."""
    names = []
    for i, arg in enumerate(argv):
        if arg not in known:
            return names, argv[i:]
        names.append(arg)
    return names, []


def main(argv: list[str]) -> int:
    every = sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))
    names, options = split_argv(argv, every)
    if not names and ({"-h", "--help"} & set(options) or options):
        print(__doc__.strip())
        print("\nbenchmarks:")
        for name in every:
            print(f"  {name:9} {summary(name)}")
        return 0 if {"-h", "--help"} & set(options) else 2
    if options and len(names) != 1:
        print("options are for one benchmark: python -m bench <name> [options]")
        return 2
    failed = []
    for name in names or every:
        module = importlib.import_module(f"bench.bench_{name}")
        try:
            figures = module.main(options) if options else module.main()
        except Exception as exc:  # one broken benchmark must not hide the others' figures
            print(f"\n!! bench_{name} failed: {exc!r}")
            failed.append(name)
            continue
        print(f"-> saved {save_results(name, figures)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
