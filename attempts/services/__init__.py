"""Workflows that write attempts, one module per story (import from the module itself):

- `starting`: a mock or a drill begins, with its snapshot of the bank (invariant 4).
- `saving`: one answer is saved, checked (drills) or left for another question.
- `deadline`: every way an attempt ends, and the rules of its deadline.
- `review_cards`: answers move questions through spaced repetition.
- `reports`: a candidate reports a problem with a question.
"""
