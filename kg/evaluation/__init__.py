"""How good the extraction is, and the trained coder it runs: an events table scored against gold
files by the rules of the gold README (`scoring`), and the coder fitted on annotated reports, with
cross-validation by article (`training`)."""
