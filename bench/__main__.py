"""`make bench`: run every bench/bench_*.py (or those named) and save their figures.

python -m bench              # all benchmarks
python -m bench listings     # only bench/bench_listings.py
python -m bench --help       # this text and the benchmarks there are
"""

import importlib
import sys
from pathlib import Path

from bench.common import save_results


def main(argv: list[str]) -> int:
    here = Path(__file__).resolve().parent
    every = sorted(p.stem.removeprefix("bench_") for p in here.glob("bench_*.py"))
    if {"-h", "--help"} & set(argv):
        print(__doc__.strip())
        print("\nbenchmarks: " + " ".join(every))
        return 0
    names = argv or every
    failed = []
    for name in names:
        module = importlib.import_module(f"bench.bench_{name}")
        try:
            figures = module.main()
        except Exception as exc:  # one broken benchmark must not hide the others' figures
            print(f"\n!! bench_{name} failed: {exc!r}")
            failed.append(name)
            continue
        print(f"-> saved {save_results(name, figures)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
