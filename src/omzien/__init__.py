"""Omzien: a platform for a municipality and its coalition to tackle loneliness."""
