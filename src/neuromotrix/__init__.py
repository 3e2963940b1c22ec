"""NeuroMotrix: safe, explained, personalised exercise programs for people living with neurological disorders."""

__version__ = "0.1.0"
