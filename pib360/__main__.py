"""The `pib360` command (also `python -m pib360`): Flask's commands for this app, with
pib360's own at the top level.

`pib360 db upgrade` is `flask --app pib360 db upgrade`, `pib360 demo` is
`flask --app pib360 pib360 demo`, and `pib360 run`, `pib360 shell` and `pib360 routes` work
as well; the settings come from the environment, as for `flask`.
"""

from flask.cli import FlaskGroup

from pib360 import create_app
from pib360.cli import pib360_cli

# A copy: Flask adds run, shell and routes to this group, not to `flask pib360`.
cli = FlaskGroup(create_app=create_app, commands=dict(pib360_cli.commands),
                 help="Run and manage pib360.")

if __name__ == "__main__":
    cli()
