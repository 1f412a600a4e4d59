"""The W3C Nu HTML checker (vnu.jar, from npm's vnu-jar), run once over a folder of pages.

The JVM takes about a second to start, so every page is written to one folder and checked in
one run rather than one run per page.
"""

import json
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
HOW_TO_INSTALL = ("install Java (Debian: default-jre-headless) and run `make test`, "
                  "which runs `npm ci`")


def missing() -> str | None:
    """Why the checker cannot run here, or None when it can."""
    if not shutil.which("java"):
        return f"Java not found: {HOW_TO_INSTALL}"
    if not VNU.exists():
        return f"vnu.jar not found in node_modules: {HOW_TO_INSTALL}"
    return None


def check(folder: Path) -> tuple[str, list[dict]]:
    """The checker's version and its error messages for every .html file in `folder`.

    A message's "url" is the file's URL; a file the checker could not read at all comes back
    as a "non-document-error", which counts as an error too.
    """
    # Only the quick JIT compiler: three times faster for a run this short (its frames are
    # larger, hence the bigger stack; the checker needs 512k even with the default JIT).
    command = ["java", "-Xss4m", "-XX:TieredStopAtLevel=1", "-jar", str(VNU),
               "--format", "json", "--errors-only", "--stdout",
               "--exit-zero-always", "--no-langdetect", "--skip-non-html", str(folder)]
    done = subprocess.run(command, capture_output=True, text=True,  # noqa: S603 - our own
                          timeout=300, check=False)
    try:
        result = json.loads(done.stdout)
    except json.JSONDecodeError as error:
        raise RuntimeError(f"vnu.jar gave no JSON (exit {done.returncode}): "
                           f"{done.stdout[:500]} {done.stderr[:2000]}") from error
    return result.get("version", "?"), result["messages"]


def file_name(message: dict) -> str:
    return message.get("url", "").rsplit("/", 1)[-1]
