"""Motifs (small labelled graphs) planted into base graphs as explanation ground truth."""

from .motifs import CustomMotif, CycleMotif, GridMotif, HouseMotif, MotifGenerator, resolve_motif

__all__ = ["MotifGenerator", "CustomMotif", "HouseMotif", "CycleMotif", "GridMotif", "resolve_motif"]
