"""The flow of a skill as a graph: the dialog tree with its jumps, the steps of each action.

A source tree keeps the flow as flat files linked by `parent`, `previous_sibling`,
`next_step` and step resolvers, which merges well and reads badly. This package turns
those files back into a graph (`dialog`, `actions`, over `model`), finds it in a tree or
a diff side (`source`), and draws it: an indented outline for the terminal (`outline`) and
Mermaid flowcharts for pull-request comments (`mermaid`, `pictures`, `diffpictures`).
"""
