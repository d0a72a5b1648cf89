"""Batch runs: naming, classifying and recording the objects of a batch."""
