"""Language-model work on reviews: cited "what customers say" summaries and reply drafts."""
