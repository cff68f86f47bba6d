"""Offline builders of biomine's data (dictionaries); never imported by the runtime."""
