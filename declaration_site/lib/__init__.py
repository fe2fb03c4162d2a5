"""Small helpers that both apps use. Nothing here imports an app of the project: each module
is plain Django and Python, so `signatories` and `prisoners` can both depend on it."""
