"""The reading benchmark: written reports with gold, relabelled real sentences and ACLED-style notes,
split by conflict (``corpus/``, guide in ``docs/annotation.md``)."""
