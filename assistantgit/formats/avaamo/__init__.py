"""Avaamo agent exports (`<agent_name>_<agent_id>_<timestamp>.zip`); the format is in format.py."""
