"""Review analysis: language, sentiment, aspects and complaint topics (no Django imports below
the pipeline module, so benchmarks and workers share the exact code)."""
