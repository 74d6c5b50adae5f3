"""Every kind of turn assertion (conversations/assertions.py), end to end: each one, given a
wrong value, fails at the line of its key with what it expected and what the toy assistant
answered; the sample suites hold each kind with a right value, and they pass (run_test.py)."""

from __future__ import annotations

from assistantgit.conversations.assertions import CHECKS
from testing.conversations import write
from testing.paths import SAMPLE_REPO

# (the key that fails, the turn's YAML, the start of the expected and actual lines): every
# wrong value below is one the dialog sample does not answer.
WRONG = [
    (
        "intent",
        "      - input: where is my parcel\n        response:\n          intent: refund\n",
        "expected: #refund",
        "actual:   #order_status (0.75)",
    ),
    (
        "confidence",
        "      - input: where is my parcel\n        response:\n          confidence: 0.99\n",
        "expected: top intent confidence >= 0.99",
        "actual:   #order_status (0.75)",
    ),
    (
        "no_intent",
        "      - input: where is my parcel\n        response:\n          no_intent: true\n",
        "expected: no intent",
        "actual:   #order_status (0.75)",
    ),
    (
        "entities",
        "      - input: I want to cancel my order\n        response:\n          entities:\n            - order_number\n",
        "expected: @order_number",
        "actual:   no entity",
    ),
    (
        "text",
        "      - input: no, not now\n        response:\n          text: Your order is cancelled.\n",
        'expected: "Your order is cancelled."',
        'actual:   "Sorry, I didn\'t get that. Could you rephrase it?"',
    ),
    (
        "text_contains",
        "      - input: I want to cancel my order\n        response:\n          text_contains: shipped already\n",
        'expected: a text containing "shipped already"',
        'actual:   "I can cancel orders that have not shipped yet."',
    ),
    (
        "text_matches",
        "      - input: I want to cancel my order\n        response:\n          text_matches: ^Sorry\n",
        "expected: a text matching /^Sorry/",
        'actual:   "I can cancel orders that have not shipped yet."',
    ),
    (
        "text_one_of",
        "      - input: I want to cancel my order\n        response:\n          text_one_of: [Done., Cancelled.]\n",
        'expected: one of "Done.", "Cancelled."',
        'actual:   "I can cancel orders that have not shipped yet."',
    ),
    (
        "options",
        "      - input: I want to cancel my order\n        response:\n          options: [Yes, No]\n",
        'expected: "Yes", "No"',
        'actual:   "Yes, cancel it", "No, keep it"',
    ),
    (
        "node",
        "      - input: I want to cancel my order\n        response:\n          node: node_refund\n",
        "expected: dialog node node_refund to run",
        "actual:   ran node_cancel_order (Cancel order)",
    ),
    (
        "context",
        '      - input: ""\n        response:\n          context:\n            shop_name: Other Shop\n',
        'expected: shop_name="Other Shop"',
        'actual:   shop_name="Ringo Shop"',
    ),
]


def test_every_assertion_kind_has_a_failing_case_here_and_a_passing_one_in_the_samples():
    covered = {key for key, *_ in WRONG} | {"action"}  # action: run_test.py, on the actions sample
    assert covered == set(CHECKS)
    samples = "".join(p.read_text(encoding="utf-8") for p in SAMPLE_REPO.glob("*/conversations/*.yaml"))
    assert all(f" {key}:" in samples for key in CHECKS)


def test_each_assertion_fails_at_the_line_of_its_key(cli, dialog_project):
    body = "".join(f"  - name: Wrong {key}\n    turns:\n{turn}" for key, turn, _, _ in WRONG)
    suite = write(dialog_project / "skill" / "conversations" / "wrong.yaml", "conversations:\n" + body)
    result = cli("test", "--env", "dev", "--jobs", "2", suite)
    assert result.exit_code == 1, result.stdout + result.stderr
    assert f"0 passed, {len(WRONG)} failed" in result.stdout
    blocks = result.stdout.split("FAIL ")[1:]
    for key, _, expected, actual in WRONG:
        # the key is four lines below the name: turns:, - input:, response:, then the key
        line = suite.read_text(encoding="utf-8").split("\n").index(f"  - name: Wrong {key}") + 1 + 4
        block = next((b for b in blocks if f": Wrong {key}, turn 1 " in b.splitlines()[0]), None)
        assert block is not None, f"no failure for {key}:\n{result.stdout}"
        head, *details = block.splitlines()
        assert head.startswith(f"skill/conversations/wrong.yaml:{line}: ") and head.endswith(f": {key}"), head
        assert details[0].strip().startswith(expected) and details[1].strip().startswith(actual.strip()), block
