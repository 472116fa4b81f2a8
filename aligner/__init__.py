"""aligner: align a document with its translation and build a bilingual corpus."""

__version__ = "0.1.0"
