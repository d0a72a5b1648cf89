"""Bulk text: one JSON Lines file of documents through one workflow execution."""
