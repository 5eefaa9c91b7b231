"""The forecast engine: plain arrays in, quantile forecasts and back-test metrics out (no Django)."""
