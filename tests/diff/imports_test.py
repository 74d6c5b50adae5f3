"""diff of two export files imports deepdiff but neither pydantic (deepdiff only looks for
its models; importing it was most of deepdiff's import time) nor gitpython, and gives the
same details; a process that imported pydantic before still gets the real one."""

from __future__ import annotations

import json
import subprocess
import sys

from testing.paths import SAMPLE_DIALOG


def run(script: str, cwd) -> str:
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=cwd, check=True)
    return done.stdout


def test_diff_of_two_exports_imports_deepdiff_without_pydantic_or_git(tmp_path):
    data = json.loads(SAMPLE_DIALOG.read_bytes())
    data["intents"][0]["examples"].append({"text": "a brand new example"})
    data["intents"][1]["description"] = "changed"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data), encoding="utf-8")
    script = (
        "import json, sys\n"
        "from assistantgit.cli import run\n"
        f"code = run(['diff', {str(SAMPLE_DIALOG)!r}, {str(changed)!r}, '--format', 'json'])\n"
        "print(json.dumps(sorted(m.split('.')[0] for m in sys.modules)))\n"
    )
    *shown, modules = run(script, tmp_path).strip().splitlines()
    modules = set(json.loads(modules))
    assert "deepdiff" in modules and "pydantic" not in modules and "git" not in modules
    assert "cachebox" not in modules and "asyncio" not in modules  # 70-85 ms, for a cache diff never makes
    details = [d for item in json.loads("\n".join(shown))["changes"] for d in item.get("details", [])]
    assert {"field": "examples", "change": "added", "before": None, "after": "a brand new example"} in details
    assert any(d["field"] == "description" and d["after"] == "changed" for d in details)


def test_pydantic_stays_importable_after_a_diff(tmp_path):
    script = (
        "import sys\n"
        "from assistantgit.diff.fields import field_details\n"
        "print(field_details({'a': 1}, {'a': 2})[0].change)\n"
        "import pydantic\n"
        "print(pydantic.BaseModel.__name__)\n"
    )
    assert run(script, tmp_path).split() == ["changed", "BaseModel"]


def test_cachebox_is_the_real_one_after_a_diff_and_deepdiff_caches_work(tmp_path):
    """deepdiff's cachebox is a stand-in during its import: a cache it makes later (cache_size)
    gets the real LRUCache, and whoever imports cachebox afterwards gets the real module."""
    script = (
        "from assistantgit.diff.fields import _deepdiff, field_details\n"
        "print(field_details({'a': 1}, {'a': 2})[0].change)\n"
        "DeepDiff = _deepdiff()\n"
        "old, new = {'l': [{'x': i} for i in range(30)]}, {'l': [{'x': i + 1} for i in range(30)]}\n"
        "print(bool(DeepDiff(old, new, ignore_order=True, cache_size=500)))\n"
        "import cachebox\n"
        "print(type(cachebox.LRUCache(4)).__name__)\n"
    )
    assert run(script, tmp_path).split() == ["changed", "True", "LRUCache"]
