"""A package's source distribution from the package index, for tests that read a file only it
holds (pytest's junit-10.xsd).

Why not only `pip download --no-binary :all:`: pip builds the package's metadata in a fresh
build environment first, about 20 s per xdist worker. The index's JSON listing (PEP 691) and one
download take well under a second; pip remains the way when the index does not answer so.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

LISTING = "application/vnd.pypi.simple.v1+json"


def fetch_sdist(name: str, version: str, folder: Path) -> tuple[Path | None, str]:
    """(the downloaded `name-version.tar.gz` in `folder`, or None; why not, when None)."""
    try:
        return _from_listing(name, version, folder), ""
    except (OSError, ValueError, KeyError, StopIteration):
        pass
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:"]
        + [f"{name}=={version}", "-d", str(folder)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    archives = sorted(folder.glob(f"{name}-*.tar.gz"))
    if proc.returncode != 0 or not archives:
        return None, proc.stderr.strip()[-300:]
    return archives[0], ""


def _from_listing(name: str, version: str, folder: Path) -> Path:
    """Download the sdist the index lists, checked against the sha256 the listing gives."""
    index = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple/").rstrip("/")
    request = urllib.request.Request(f"{index}/{name}/", headers={"Accept": LISTING})
    with urllib.request.urlopen(request, timeout=60) as response:
        listing = json.load(response)
    filename = f"{name}-{version}.tar.gz"
    entry = next(f for f in listing["files"] if f["filename"] == filename)
    with urllib.request.urlopen(entry["url"], timeout=120) as response:
        data = response.read()
    if hashlib.sha256(data).hexdigest() != entry["hashes"]["sha256"]:
        raise ValueError(f"{filename}: sha256 differs from the index's")
    path = folder / filename
    path.write_bytes(data)
    return path
