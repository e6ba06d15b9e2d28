"""Commands of this area register on ``frontline.cli.main`` here."""
