"""The Nu HTML Checker (vnu.jar from the npm registry's `vnu-jar` package), pinned.

`make vnu` (and the first test that needs it) fetches the package with `npm pack` into
`.cache/` (git-ignored) and keeps only the jar: `python -m tests.vnu fetch`.
"""

import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VNU_VERSION = "26.9.27"
CACHE = Path(__file__).resolve().parent.parent / ".cache" / f"vnu-{VNU_VERSION}"
JAR = CACHE / "vnu.jar"


def fetch() -> Path:
    """The jar, fetched with npm the first time."""
    if JAR.exists():
        return JAR
    npm = shutil.which("npm")
    if npm is None:
        raise FileNotFoundError("npm is not installed: cannot fetch vnu-jar")
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(  # noqa: S603  (npm, a pinned package name)
            [npm, "pack", "--silent", f"vnu-jar@{VNU_VERSION}", "--pack-destination", tmp],
            check=True,
            capture_output=True,
        )
        with tarfile.open(next(Path(tmp).glob("vnu-jar-*.tgz"))) as archive:
            member = archive.getmember("package/build/dist/vnu.jar")
            with archive.extractfile(member) as source, open(JAR, "wb") as target:
                shutil.copyfileobj(source, target)
    return JAR


def check(files: list[Path]) -> list[dict]:
    """Every error the checker reports for ``files`` (one Java start for all)."""
    java = shutil.which("java")
    if java is None:
        raise FileNotFoundError("java is not installed")
    result = subprocess.run(  # noqa: S603  (java with our jar and our files)
        [java, "-jar", str(fetch()), "--format", "json", "--errors-only", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    return [
        m for m in json.loads(result.stderr or "{}").get("messages", []) if m["type"] == "error"
    ]


if __name__ == "__main__":
    if sys.argv[1:] == ["fetch"]:
        print(fetch())
    else:
        sys.exit("usage: python -m tests.vnu fetch")
