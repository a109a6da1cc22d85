"""The ``igfc`` command line.

Heavy imports (pandas, pint, lifelines, roadrunner, fastapi) live inside each command so that
``igfc --help`` answers at once. Every user error exits with code 2 and a one-line message that
names the field and the value; no traceback.
"""

from __future__ import annotations

import typer

from igfcirrhosis import RESEARCH_USE, __version__

app = typer.Typer(
    name="igfc",
    help=(
        "igfcirrhosis: scores, IGF interpretation, cohort statistics and a mechanistic GH-IGF-I "
        f"model for liver cirrhosis. {RESEARCH_USE}"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)


@app.callback()
def _root() -> None:
    """igfc: IGF in liver cirrhosis. For research and decision support only."""


@app.command()
def about() -> None:
    """Version, licence, research-use statement and the units assumed by default."""
    typer.echo(f"igfcirrhosis {__version__} (MIT licence)")
    typer.echo(RESEARCH_USE)


# --- command groups: each module defines register(app); one line each, heavy imports inside ---
from igfcirrhosis.cli import model_commands  # noqa: E402

model_commands.register(app)
from igfcirrhosis.cli import assess_commands  # noqa: E402

assess_commands.register(app)
from igfcirrhosis.cli import analysis_commands  # noqa: E402

analysis_commands.register(app)
from igfcirrhosis.cli import cohort_commands  # noqa: E402

cohort_commands.register(app)
from igfcirrhosis.cli import demo_commands  # noqa: E402

demo_commands.register(app)
from igfcirrhosis.cli import web_commands  # noqa: E402

web_commands.register(app)


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
