"""Command line: thin shell over the pure core (placeholder being built)."""

from __future__ import annotations

import json

import click

from greeter.config_loader import json_schema


@click.group()
def main() -> None:
    """greeter — personalised greetings, tactfully timed, never twice."""


@main.command()
def schema() -> None:
    """Print the JSON Schema of the config file."""
    click.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))
