"""``flask admin hash-password``: the hash to paste in instance.toml, never the password."""
from __future__ import annotations

import click
from flask.cli import AppGroup
from werkzeug.security import generate_password_hash

admin_cli = AppGroup("admin", help="L'espace de gestion /gestion.")
MIN_LENGTH = 10


@admin_cli.command("hash-password")
def hash_password_command():
    """Demande un mot de passe et affiche son empreinte, à coller dans instance.toml."""
    password = click.prompt("Mot de passe de l'espace de gestion", hide_input=True,
                            confirmation_prompt="Le même, pour vérifier")
    if len(password) < MIN_LENGTH:
        raise click.ClickException(f"Mot de passe trop court : {MIN_LENGTH} caractères au moins.")
    click.echo("Copiez cette ligne dans la section [admin] de instance.toml :")
    click.echo(f'password_hash = "{generate_password_hash(password)}"')
