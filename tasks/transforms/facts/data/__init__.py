"""Lexicons as data: gazetteer, surnames, title words, organization suffixes."""
