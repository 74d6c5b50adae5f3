"""One module per command; each exposes a function that typer registers in cli.py."""
