"""`make bench`: Bijeen's production stack on one machine, under load. See docs/performance.md."""
