"""Voile: a data-governance proxy for LLM APIs."""
