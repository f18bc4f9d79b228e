"""Running the model: one run, comparisons, sweeps, discovery, calibration, the store."""
