"""Make the README's picture of a pull-request comment: a real `diff --format markdown`
of a change to the sample dialog skill, and that comment rendered as GitHub shows it.

Writes docs/screenshots/diff-comment.md (the comment) and diff-comment.png (a screenshot of
it rendered by headless Chromium, with the Mermaid pictures drawn by the mermaid npm
package). Needs git, node, the npm packages the tests install (testing/mermaid.py;
`marked` comes with mermaid) and Chromium (`apt-get install chromium`).

Usage: .venv/bin/python docs/screenshots/make_diff_comment.py
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent.parent
sys.path.insert(0, str(PROJECT))

from assistantgit import canonical  # noqa: E402
from testing.mermaid import cache_dir, install  # noqa: E402

RENDER = r"""
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
const [packages, source, page] = process.argv.slice(1);
const { marked } = await import(pathToFileURL(join(packages, 'node_modules/marked/lib/marked.esm.js')).href);
const renderer = new marked.Renderer();
const code = renderer.code.bind(renderer);
renderer.code = (token) => token.lang === 'mermaid'
  ? `<pre class="mermaid">${token.text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</pre>` : code(token);
const body = marked.parse(readFileSync(source, 'utf8'), { renderer }).replaceAll('<details>', '<details open>');
const mermaid = pathToFileURL(join(packages, 'node_modules/mermaid/dist/mermaid.min.js')).href;
writeFileSync(page, `<!doctype html><meta charset="utf-8"><style>
body { font: 14px -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1f2328; max-width: 860px;
       margin: 16px; padding: 16px 24px; border: 1px solid #d1d9e0; border-radius: 6px; }
code { background: #eff1f3; padding: 1px 4px; border-radius: 4px; font-size: 85%; }
pre:not(.mermaid) { background: #f6f8fa; padding: 8px; border-radius: 6px; }
table { border-collapse: collapse; } td, th { border: 1px solid #d1d9e0; padding: 4px 10px; }
summary { cursor: pointer; font-weight: 600; } pre.mermaid { background: none; text-align: center; }
</style>${body}<script src="${mermaid}"></script>
<script>mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
mermaid.run().then(() => { document.title = 'height=' + document.documentElement.scrollHeight; });</script>`);
"""


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=Reviewer", "-c", "user.email=r@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def change(tree: Path) -> None:
    """A pull request as a team makes one: a new answer with a jump, a changed condition,
    a node removed, a node moved out of a folder, one more example."""

    def edit(name: str, update) -> None:
        path = tree / "dialog_nodes" / name
        data = canonical.loads(path.read_text("utf-8"))
        update(data)
        path.write_text(canonical.dumps(data), "utf-8")

    (tree / "dialog_nodes" / "Holiday_hours.yaml").write_text(
        canonical.dumps(
            {
                "title": "Holiday hours",
                "dialog_node": "node_holiday_hours",
                "type": "standard",
                "parent": "node_store_hours",
                "conditions": "@sys-date && $holiday",
                "output": {
                    "generic": [
                        {"response_type": "text", "values": [{"text": "On public holidays we open 10:00-16:00."}]}
                    ]
                },
                "next_step": {"behavior": "jump_to", "selector": "body", "dialog_node": "node_talk_to_agent"},
            }
        ),
        "utf-8",
    )
    edit("Refund.yaml", lambda n: n.update(conditions="#refund && !$order_cancelled"))
    (tree / "dialog_nodes" / "Cancel_declined.yaml").unlink()
    edit("Change_address.yaml", lambda n: (n.pop("parent"), n.update(previous_sibling="node_refund")))
    edit("Store_hours.yaml", lambda n: n.update(previous_sibling="node_change_address"))
    edit("Cancel_confirmed.yaml", lambda n: n.update(conditions="@confirmation:yes || #thanks"))
    path = tree / "intents" / "store_hours.yaml"
    intent = canonical.loads(path.read_text("utf-8"))
    intent["examples"].append("are you open on Easter Monday?")
    path.write_text(canonical.dumps(intent), "utf-8")


def comment(work: Path) -> str:
    """The comment `diff --format markdown` writes for the change, in a new repository in `work`."""
    git(work, "init", "-q", "-b", "main")
    shutil.copytree(PROJECT / "sample-repo" / "dialog-skill", work / "customer-care")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "customer care skill")
    change(work / "customer-care")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "holiday hours")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "assistantgit",
            "diff",
            "main~1",
            "main",
            "--dir",
            "customer-care",
            "--format",
            "markdown",
        ],
        cwd=work,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="assistantgit-comment-"))
    try:
        (HERE / "diff-comment.md").write_text(comment(work), "utf-8")
        reason = install(cache_dir())
        if reason:
            print(f"wrote {HERE / 'diff-comment.md'}; no screenshot: {reason}")
            return 1
        page = work / "comment.html"
        subprocess.run(
            ["node", "--input-type=module", "-e", RENDER, str(cache_dir()), str(HERE / "diff-comment.md"), str(page)],
            check=True,
        )
        chromium = [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={work / 'chromium'}",
            "--hide-scrollbars",
            "--virtual-time-budget=15000",
        ]
        dom = subprocess.run(
            chromium + ["--window-size=940,1000", "--dump-dom", page.as_uri()],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        height = int(dom.split("<title>height=", 1)[1].split("<", 1)[0])  # the page once Mermaid has drawn
        subprocess.run(
            chromium + [f"--window-size=940,{height + 8}", f"--screenshot={HERE / 'diff-comment.png'}", page.as_uri()],
            check=True,
            capture_output=True,
        )
        print(json.dumps({"markdown": str(HERE / "diff-comment.md"), "screenshot": str(HERE / "diff-comment.png")}))
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
