"""Text domain code: chunking under the PHI service limit, merging, masking."""
