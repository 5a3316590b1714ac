"""The `lagebild` command line: the composition root that wires core, flows, warehouse and dashboard."""
