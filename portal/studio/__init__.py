"""The marketer studio: content and media with drafts and history, follow-up snippets, insights."""
