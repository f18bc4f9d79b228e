"""Running the model: one run, comparisons, sweeps, scenario discovery and their store."""
