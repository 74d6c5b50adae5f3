"""The translation workflow: deltas with --since, one tree per language kept in step,
reviewers' direct fixes kept, wrong files refused, status for CI, placeholder findings."""

from __future__ import annotations

import os
import subprocess
import sys

from assistantgit import canonical
from testing.paths import SAMPLE_REPO
from testing.translation import fill

FRENCH = {
    "where is my order": "où est ma commande",
    "order status": "état de ma commande",
    "Where is order AB-123456? It was due yesterday": "Où est la commande AB-123456 ? Elle devait arriver hier",
    "express": "rapide",
    "fast": "vite",
}


def french(text: str) -> str:
    return FRENCH.get(text, f"fr: {text}")


def load(path):
    return canonical.loads(path.read_text(encoding="utf-8"))


def edit(path, change) -> None:
    data = load(path)
    change(data)
    path.write_text(canonical.dumps(data), encoding="utf-8")


def export_import(cli, source, target, tmp_path, translate=french, name="fr.xlf", *extra):
    exported = tmp_path / name
    result = cli("translate", "export", "--dir", source, "--out", exported, "--language", "fr", *extra)
    assert result.exit_code == 0, result.stderr
    if translate is not None:
        fill(exported, translate)
    return cli("translate", "import", exported, "--into", target, "--from", source)


def test_since_exports_exactly_the_two_new_examples(cli, in_git_dir, copy_sample, tmp_path):
    skill = copy_sample("dialog-skill")
    in_git_dir.git.add(".")
    in_git_dir.git.commit("-m", "skill")
    edit(
        skill / "intents" / "refund.yaml", lambda d: d["examples"].extend(["money back please", "I want a refund now"])
    )
    delta = tmp_path / "delta.po"
    result = cli("translate", "export", "--dir", skill, "--out", delta, "--since", "HEAD")
    assert result.exit_code == 0 and "2 unit(s) for 2 string(s) new or changed since HEAD" in result.stderr
    from translate.storage import po

    units = [u for u in po.pofile.parsestring(delta.read_bytes()).units if not u.isheader()]
    assert sorted(str(u.source) for u in units) == ["I want a refund now", "money back please"]
    assert all("key: intent:refund:examples{" in u.getnotes("developer") for u in units)
    result = cli("translate", "export", "--dir", skill, "--out", delta, "--since", "no-such-rev")
    assert result.exit_code == 2 and "not a revision" in result.stderr


def test_a_new_tree_keeps_structure_and_sets_language(cli, tmp_path):
    source, target = SAMPLE_REPO / "dialog-skill", tmp_path / "fr"
    assert export_import(cli, source, target, tmp_path).exit_code == 0
    assert load(target / "skill.yaml")["workspace"]["language"] == "fr"
    intent = load(target / "intents" / "order_status.yaml")
    annotated = next(e for e in intent["examples"] if isinstance(e, dict))
    assert (
        annotated["text"][annotated["mentions"][0]["location"][0] :][:9] == "AB-123456"
    )  # the mention moved with its words
    entity = load(target / "entities" / "shipping_method.yaml")
    express = next(v for v in entity["values"] if v["value"] == "express")  # the value is the key conditions name
    assert "rapide" in express["synonyms"] and "vite" in express["synonyms"] and "fast" not in express["synonyms"]
    node, original = (
        load(target / "dialog_nodes" / "Cancel_order.yaml"),
        load(source / "dialog_nodes" / "Cancel_order.yaml"),
    )
    assert (
        node["conditions"] == original["conditions"]
        and node["output"]["generic"][1]["options"][0]["label"] == "fr: Yes, cancel it"
    )
    result = cli("translate", "status", "--dir", source, "--into", target, "--exit-code")
    assert result.exit_code == 0 and "in step" in result.stderr


def test_the_languages_stay_in_step_and_direct_fixes_are_kept(cli, in_git_dir, copy_sample, tmp_path):
    source = copy_sample("dialog-skill")
    target = in_git_dir.working_tree_dir + "/fr"
    assert export_import(cli, source, target, tmp_path).exit_code == 0
    in_git_dir.git.add(".")
    in_git_dir.git.commit("-m", "en and fr")
    from pathlib import Path

    target = Path(target)
    # a French reviewer fixes a response and adds an example, directly in the French tree
    edit(
        target / "dialog_nodes" / "Refund.yaml",
        lambda d: d["output"]["generic"][0]["values"][0].update(text="Remboursement : voici comment faire."),
    )
    edit(target / "intents" / "refund.yaml", lambda d: d["examples"].append("je veux être remboursé"))
    # meanwhile the source gains an example and a changed response
    edit(source / "intents" / "refund.yaml", lambda d: d["examples"].append("give me my money back"))
    edit(
        source / "dialog_nodes" / "Thanks.yaml",
        lambda d: d["output"]["generic"][0]["values"][0].update(text="Glad to help!"),
    )
    status = cli("translate", "status", "--dir", source, "--into", target, "--exit-code")
    assert status.exit_code == 1
    assert "intent:refund:examples{give me my money back}" in status.stdout
    assert "dialog_node:node_thanks:output.generic[0].values[0].text" in status.stdout
    result = export_import(cli, source, target, tmp_path, french, "delta.xlf", "--since", "HEAD")
    assert result.exit_code == 0, result.stderr
    assert "1 text(s) changed directly in the target tree kept" in result.stderr
    refund = load(target / "intents" / "refund.yaml")["examples"]
    assert "je veux être remboursé" in refund and "fr: give me my money back" in refund
    assert (
        load(target / "dialog_nodes" / "Refund.yaml")["output"]["generic"][0]["values"][0]["text"]
        == "Remboursement : voici comment faire."
    )
    assert (
        load(target / "dialog_nodes" / "Thanks.yaml")["output"]["generic"][0]["values"][0]["text"]
        == "fr: Glad to help!"
    )
    assert cli("translate", "status", "--dir", source, "--into", target, "--exit-code").exit_code == 0


def test_an_outdated_translation_is_listed_until_translated_again(cli, copy_sample, tmp_path):
    source, target = copy_sample("dialog-skill"), tmp_path / "fr"
    assert export_import(cli, source, target, tmp_path).exit_code == 0
    edit(
        source / "dialog_nodes" / "Thanks.yaml",
        lambda d: d["output"]["generic"][0]["values"][0].update(text="Glad to help!"),
    )
    status = cli("translate", "status", "--dir", source, "--into", target)
    assert status.exit_code == 0 and "outdated" in status.stdout and "node_thanks" in status.stdout
    result = export_import(cli, source, target, tmp_path, None, "empty.xlf")  # nothing translated yet
    assert result.exit_code == 0 and "1 kept in the source language" in result.stderr
    assert load(target / "dialog_nodes" / "Thanks.yaml")["output"]["generic"][0]["values"][0]["text"] == "Glad to help!"
    assert "node_thanks" in cli("translate", "status", "--dir", source, "--into", target).stdout


def test_strict_refuses_untranslated_strings_and_writes_nothing(cli, tmp_path):
    result = export_import(
        cli,
        SAMPLE_REPO / "dialog-skill",
        tmp_path / "fr",
        tmp_path,
        lambda text: "" if "order" in text else french(text),
        "fr.xlf",
    )
    assert result.exit_code == 0 and "kept in the source language" in result.stderr
    exported = tmp_path / "fr.xlf"
    result = cli(
        "translate", "import", exported, "--into", tmp_path / "fr2", "--from", SAMPLE_REPO / "dialog-skill", "--strict"
    )
    assert result.exit_code == 1 and "have no translation" in result.stderr and not (tmp_path / "fr2").exists()


def test_a_file_from_another_skill_is_refused(cli, tmp_path):
    other = tmp_path / "other"
    assert cli("pull", SAMPLE_REPO / "exports" / "customer-care-dialog.json", "--dir", other).exit_code == 0
    for path in (other / "intents").glob("*.yaml"):
        edit(path, lambda d: d.update(intent="x_" + d["intent"]))
    for path in (other / "dialog_nodes").glob("*.yaml"):
        path.unlink()
    for path in (other / "entities").glob("*.yaml"):
        path.unlink()
    result = export_import(cli, other, tmp_path / "fr", tmp_path)
    assert result.exit_code == 0
    result = cli(
        "translate", "import", tmp_path / "fr.xlf", "--into", tmp_path / "fr3", "--from", SAMPLE_REPO / "dialog-skill"
    )
    assert result.exit_code == 2 and "comes from another skill" in result.stderr and not (tmp_path / "fr3").exists()
    result = cli(
        "translate", "import", tmp_path / "fr.xlf", "--into", tmp_path / "fr4", "--from", SAMPLE_REPO / "actions-skill"
    )
    assert result.exit_code == 2 and "was exported from a watson-dialog tree" in result.stderr


def test_structure_changed_in_the_target_is_refused_without_force(cli, tmp_path):
    source, target = SAMPLE_REPO / "dialog-skill", tmp_path / "fr"
    assert export_import(cli, source, target, tmp_path).exit_code == 0
    edit(target / "dialog_nodes" / "Refund.yaml", lambda d: d.update(conditions="#refund || #complaint"))
    result = cli("translate", "import", tmp_path / "fr.xlf", "--into", target)  # --from: the record's
    assert result.exit_code == 2 and "dialog_node:node_refund" in result.stderr
    assert load(target / "dialog_nodes" / "Refund.yaml")["conditions"] == "#refund || #complaint"
    assert cli("translate", "import", tmp_path / "fr.xlf", "--into", target, "--force").exit_code == 0
    assert load(target / "dialog_nodes" / "Refund.yaml")["conditions"] == "#refund"


def test_a_lost_placeholder_is_a_finding_with_file_and_line(cli, tmp_path):
    source, target = SAMPLE_REPO / "dialog-skill", tmp_path / "fr"
    result = export_import(
        cli, source, target, tmp_path, lambda text: french(text).replace("$order_number", "le numéro")
    )
    assert result.exit_code == 1
    finding = next(line for line in result.stdout.splitlines() if "AG901" in line)
    path, line, _column = finding.split(": AG901")[0].rsplit(":", 2)
    lines = (tmp_path / "fr" / "dialog_nodes" / "Order_status.yaml").read_text().splitlines()
    assert path.endswith("dialog_nodes/Order_status.yaml") and "le numéro" in "".join(
        lines[int(line) - 1 : int(line) + 1]
    )
    status = cli("translate", "status", "--dir", source, "--into", target, "--exit-code")
    assert status.exit_code == 1 and finding in status.stdout


def test_units_that_match_nothing_are_reported(cli, copy_sample, tmp_path):
    source = copy_sample("dialog-skill")
    exported = tmp_path / "fr.po"
    assert cli("translate", "export", "--dir", source, "--out", exported, "--language", "fr").exit_code == 0
    fill(exported, french)
    edit(source / "intents" / "goodbye.yaml", lambda d: d.update(examples=[e for e in d["examples"] if e != "bye"]))
    result = cli("translate", "import", exported, "--into", tmp_path / "fr", "--from", source)
    assert result.exit_code == 0 and "1 match nothing in the source" in result.stderr


def test_every_translate_command_has_help_with_an_example(cli):
    for command in ("export", "import", "status"):
        result = cli("translate", command, "--help")
        assert result.exit_code == 0 and "Example: assistantgit translate" in result.stdout


def test_translate_toolkit_is_not_imported_at_start_up():
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "assistantgit", "--help"], capture_output=True, text=True, check=True
    )
    loaded = {line.split("|")[-1].strip().split(".")[0] for line in proc.stderr.splitlines() if "|" in line}
    assert "translate" not in loaded and "lxml" not in loaded
    assert "assistantgit" in loaded  # the check looks at the right output


def test_the_french_sample_is_what_importing_its_translation_file_gives(cli, tmp_path):
    """sample-repo/dialog-skill-fr is generated: `translate import` of the committed PO file."""
    import shutil

    from testing.translation import tree_bytes

    target = tmp_path / "dialog-skill-fr"
    shutil.copytree(SAMPLE_REPO / "dialog-skill", tmp_path / "dialog-skill")
    result = cli(
        "translate",
        "import",
        SAMPLE_REPO / "translations" / "dialog-skill.fr.po",
        "--into",
        target,
        "--from",
        tmp_path / "dialog-skill",
        "--strict",
    )
    assert result.exit_code == 0, result.stderr
    assert tree_bytes(target) == tree_bytes(SAMPLE_REPO / "dialog-skill-fr")
    assert (target / "translation.yaml").read_bytes() == (
        SAMPLE_REPO / "dialog-skill-fr" / "translation.yaml"
    ).read_bytes()
    status = cli(
        "translate",
        "status",
        "--dir",
        SAMPLE_REPO / "dialog-skill",
        "--into",
        SAMPLE_REPO / "dialog-skill-fr",
        "--exit-code",
    )
    assert status.exit_code == 0
    assert cli("validate", "--dir", SAMPLE_REPO / "dialog-skill-fr").exit_code == 0


def test_a_linked_record_or_the_source_itself_is_refused(cli, copy_sample, tmp_path):
    source, target = SAMPLE_REPO / "dialog-skill", tmp_path / "fr"
    assert export_import(cli, source, target, tmp_path).exit_code == 0
    elsewhere = tmp_path / "elsewhere.yaml"
    elsewhere.write_bytes((target / "translation.yaml").read_bytes())
    (target / "translation.yaml").unlink()
    (target / "translation.yaml").symlink_to(elsewhere)
    result = cli("translate", "import", tmp_path / "fr.xlf", "--into", target, "--from", source)
    assert result.exit_code == 2 and "symbolic link" in result.stderr
    copy = copy_sample("dialog-skill")
    before = {p: p.read_bytes() for p in copy.rglob("*.yaml")}
    result = cli("translate", "import", tmp_path / "fr.xlf", "--into", copy, "--from", copy)
    assert result.exit_code == 2 and "the source tree itself" in result.stderr
    assert {p: p.read_bytes() for p in copy.rglob("*.yaml")} == before


def test_a_file_in_another_language_than_the_target_is_refused(cli, tmp_path):
    source, target = SAMPLE_REPO / "dialog-skill", tmp_path / "fr"
    assert export_import(cli, source, target, tmp_path).exit_code == 0
    result = cli("translate", "import", tmp_path / "fr.xlf", "--into", target, "--language", "de")
    assert result.exit_code == 2 and "is the 'fr' tree" in result.stderr
    assert load(target / "skill.yaml")["workspace"]["language"] == "fr"


def test_status_of_a_tree_without_record_reads_git_history(cli, in_git_dir, copy_sample, tmp_path):
    """A target tree translated before it had a record: a translation whose source file changed
    in a later commit is outdated, by git history."""
    import os
    from pathlib import Path

    source = copy_sample("dialog-skill")
    target = Path(in_git_dir.working_tree_dir) / "fr"
    assert export_import(cli, source, target, tmp_path).exit_code == 0
    (target / "translation.yaml").unlink()

    def commit(message, when):
        in_git_dir.git.add(".")
        dates = {"GIT_AUTHOR_DATE": f"{when} +0000", "GIT_COMMITTER_DATE": f"{when} +0000"}
        in_git_dir.git.commit("-m", message, env={**os.environ, **dates})

    commit("en and fr", "2026-01-01T10:00:00")
    status = cli("translate", "status", "--dir", source, "--into", target, "--exit-code")
    assert status.exit_code == 0, status.stdout
    edit(
        source / "dialog_nodes" / "Thanks.yaml",
        lambda d: d["output"]["generic"][0]["values"][1].update(text="Any time!"),
    )
    commit("en: thanks", "2026-01-02T10:00:00")
    status = cli("translate", "status", "--dir", source, "--into", target, "--exit-code")
    assert status.exit_code == 1
    outdated = status.stdout.split("outdated (the source changed since):")[1]
    assert "dialog_node:node_thanks:output.generic[0].values[0].text" in outdated  # same file, changed later
    assert "dialog_node:node_refund" not in outdated


def test_validate_checks_placeholders_of_a_translated_tree(cli, copy_sample, tmp_path):
    """The pre-commit hook's validate finds the record, hence the source, and runs AG901/AG902."""
    source, target = SAMPLE_REPO / "dialog-skill", tmp_path / "fr"
    assert export_import(cli, source, target, tmp_path).exit_code == 0
    node = target / "dialog_nodes" / "Goodbye.yaml"
    edit(node, lambda d: d["output"]["generic"][0]["values"][1].update(text="À bientôt chez $nom_boutique !"))
    result = cli("validate", node)
    assert result.exit_code == 1
    # path:line:column: error|warning: RULE message
    assert sorted(line.split(": ")[2].split()[0] for line in result.stdout.splitlines()) == ["AG901", "AG902"]
    assert all(line.startswith(f"{node}:11:11: ") for line in result.stdout.splitlines())
    assert cli("validate", target / "dialog_nodes" / "Refund.yaml").exit_code == 0
    assert cli("validate", "--dir", source).exit_code == 0  # a source tree has no record: nothing to compare


def test_import_holds_the_target_trees_lock_from_reading_to_writing(cli, tmp_path, monkeypatch):
    """Another writer (here fmt, as a real process) that starts while an import is between
    reading the target tree and writing it waits, then refuses: its change would otherwise be
    overwritten by texts the import read before it (issue 10)."""
    from assistantgit.translate.workflow import importing

    source, target = SAMPLE_REPO / "dialog-skill", tmp_path / "fr"
    assert export_import(cli, source, target, tmp_path).exit_code == 0
    others = []

    def apply_while_another_writer_tries(*args, **kwargs):
        others.append(
            subprocess.run(
                [sys.executable, "-m", "assistantgit", "fmt", "--dir", target],
                capture_output=True,
                text=True,
                env={**os.environ, "NO_COLOR": "1", "ASSISTANTGIT_LOCK_WAIT": "0"},
            )
        )
        return apply(*args, **kwargs)

    apply = importing.apply
    monkeypatch.setattr(importing, "apply", apply_while_another_writer_tries)
    assert cli("translate", "import", tmp_path / "fr.xlf", "--into", target).exit_code == 0
    [other] = others
    assert other.returncode == 2 and "another assistantgit command is working on this tree" in other.stderr
