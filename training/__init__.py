"""Training data and training script for the built-in engine's statistical tagger (not shipped at run time)."""
