"""Evaluation: datasets → metrics → report, for an in-process engine or any deployment."""
