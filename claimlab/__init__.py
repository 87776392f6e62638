"""claimlab: a research question in, a verified, evidence-backed report out."""

__version__ = "0.1.0"
