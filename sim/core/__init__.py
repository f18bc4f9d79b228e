"""The bottom layer: the parameter registry, scenarios, state records, the world, random numbers."""
