"""Conversation tests: behaviour checks of a live assistant, written next to its source tree.

- model: the test file format (YAML in the canonical style) and its parser; no HTTP.
- sessions: one conversation turn through the ibm-watson SDK (v1 `message`, v2
  `message_stateless`), answers normalised into a Reply.
- assertions: what a turn expects, checked against a Reply.
- runner: every conversation of a suite, in parallel with bounded concurrency.
- coverage: the intents, dialog nodes and actions/steps a run reached.
- reports, junit: text, markdown (pull-request comment), JSON and JUnit XML.
- regression, plot: intent accuracy on an utterance CSV, baseline comparison, SVG picture.
- record: conversation files proposed from archived logs.
- gate: promote only what passes the suite.

validate imports only `model` (and nothing that talks to a service).
"""
