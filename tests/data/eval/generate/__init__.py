"""Generator of the `tuning` and `holdout_v2` parts of the evaluation corpus (see
tests/data/eval/README.md). Run `python -m tests.data.eval.generate`."""
