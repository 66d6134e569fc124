"""`retain serve`: the read-only web view for successors."""

from __future__ import annotations

import ipaddress
import os

import click

from retain.cli.common import AppContext, pass_app, warn
from retain.errors import InvalidInput

LOCAL_HOSTS = {"localhost"}


def _is_loopback(host: str) -> bool:
    if host in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", type=click.IntRange(1, 65535), default=8750, show_default=True)
@click.option("--token", help="Access token (default: RETAIN_SERVE_TOKEN, else a new random one).")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes (each opens its own database connections).")
@pass_app
def serve(app: AppContext, host: str, port: int, token: str | None, workers: int) -> None:
    """Serve shareable handover packs, search, who-knows and the map, read-only, in a browser."""
    from retain.web.security import new_token

    chosen = token or os.environ.get("RETAIN_SERVE_TOKEN") or new_token()
    if len(chosen) < 16:
        raise InvalidInput("the access token must be at least 16 characters; pass a longer --token")
    if not _is_loopback(host):
        warn(f"binding to {host}: anyone who can reach it and has the token can read every shareable pack")
    import uvicorn

    from retain.web.app import create_app

    services = app.services  # opened here, so a bad database fails before the server starts
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"retain serve: open http://{shown}:{port}/?token={chosen}")
    click.echo("Press Ctrl+C to stop.")
    if workers == 1:
        uvicorn.run(create_app(services, chosen), host=host, port=port, log_level="warning", access_log=False)
        return
    from retain.web.factory import TOKEN_VARIABLE

    # Worker processes read the database and the token from the environment, not from argv.
    os.environ["RETAIN_DB"] = services.settings.db_url
    os.environ[TOKEN_VARIABLE] = chosen
    uvicorn.run("retain.web.factory:app", factory=True, workers=workers, host=host, port=port,
                log_level="warning", access_log=False)


def register(cli: click.Group) -> None:
    """Add the command to the CLI."""
    cli.add_command(serve)
