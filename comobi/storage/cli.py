"""``flask sheet init``, ``check`` and ``flush``: the clerk's commands, in French."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from comobi.checks import instance_warnings
from comobi.flush_command import flush_now
from comobi.storage import get_storage
from comobi.storage.port import StorageError

sheet_cli = AppGroup("sheet", help="Le tableur : créer les onglets, vérifier les données.")


@sheet_cli.command("init")
def init_command():
    """Crée les onglets et les colonnes manquants, sans toucher aux données."""
    try:
        done = get_storage().init_tabs()
    except StorageError as error:
        raise click.ClickException(str(error)) from error
    for line in done or ["Rien à faire : les onglets et leurs colonnes sont en place."]:
        click.echo(line)


@sheet_cli.command("check")
@click.option("--strict", is_flag=True,
              help="Échoue (code 1) au moindre point à corriger : avertissement, colonne absente, "
                   "ligne illisible, envoi en attente. Pour publier automatiquement sans risque.")
def check_command(strict: bool = False):
    """Dit en clair ce qui ne va pas : accès, onglets, colonnes, lignes illisibles."""
    settings = current_app.config["COMOBI"]
    click.echo(f"Configuration : {settings['_file']}")
    click.echo(f"Tableur : {describe_backend(settings)}")
    setting_warnings = instance_warnings(settings, Path(current_app.static_folder))
    for warning in setting_warnings:
        click.echo(f"Attention : {warning}")
    storage = get_storage()
    try:
        board = storage.read_now()
        missing = storage.missing_headers()
    except StorageError as error:
        click.echo(f"ERREUR : {error}")
        echo_saved(storage)
        workbook_report(storage)
        echo_waiting(storage)
        echo_leftovers(storage)
        raise SystemExit(1) from error
    click.echo(f"{len(board.trips)} trajet(s) et {len(board.requests)} demande(s) lus.")
    echo_solidarity(storage, board)
    waiting = echo_waiting(storage) + echo_leftovers(storage)
    waiting += echo_mail(board)
    for title, headers in missing.items():
        click.echo(f"Onglet « {title} » : colonnes absentes : {', '.join(headers)} "
                   "(flask --app app sheet init les ajoute).")
    waiting += workbook_report(storage)  # the local file's own problems are points to fix too
    for problem in board.problems:
        where = f"ligne {problem.row}" if problem.row else "onglet"
        click.echo(f"À corriger : « {problem.tab} », {where} : {problem.reason}")
    gone = echo_missing_rows(storage) + echo_refused(storage) + echo_duplicate_ids(board)
    to_fix = len(board.problems) + len(missing) + len(setting_warnings) + waiting + gone
    if not to_fix:
        click.echo("Tout est en ordre.")
    elif strict:
        click.echo(f"ERREUR : vérification stricte : {to_fix} point(s) à corriger, voir ci-dessus.")
        raise SystemExit(1)


def echo_solidarity(storage, board) -> None:
    from comobi.schema import RIDES, VOLUNTEERS, find_tab_title

    titles = storage.spreadsheet.tab_titles()
    if any(find_tab_title(titles, tab) for tab in (VOLUNTEERS, RIDES)):
        click.echo(f"Transport solidaire : {len(board.volunteers)} bénévole(s) et {len(board.rides)} course(s) lus.")


@sheet_cli.command("purge")
@click.option("--apply", "apply_", is_flag=True, help="Effacer vraiment (sans cette option : dire seulement quoi).")
def purge_command(apply_: bool):
    """Efface les données personnelles des lignes plus anciennes que la durée de conservation."""
    from comobi.storage.purging import purge

    settings = current_app.config["COMOBI"]
    try:
        for line in purge(get_storage(), settings["legal.retention_days"], apply_):
            click.echo(line)
    except StorageError as error:
        raise click.ClickException(str(error)) from error


@sheet_cli.command("flush")
def flush_command():
    """Écrit maintenant dans le tableur les envois gardés en attente."""
    storage = get_storage()
    flush_now(bool(storage.outbox.entries()), lambda: storage.deliver(force=True), "Aucun envoi en attente.",
              "{} envoi(s) écrit(s) dans le tableur.", lambda: echo_waiting(storage))


def workbook_report(storage) -> int:
    """The local workbook's own lines (formulas without results, file open elsewhere,
    backups); return how many are problems."""
    problems, notes = getattr(storage.spreadsheet, "check_report", lambda: ([], []))()
    for line in problems + notes:
        click.echo(line)
    return len(problems)


def echo_waiting(storage) -> int:
    """List the rows still in the outbox; return how many."""
    entries = storage.outbox.entries()
    if entries:
        click.echo(f"{len(entries)} envoi(s) en attente d'écriture dans le tableur "
                   f"(flask --app app sheet flush les envoie) :")
        for entry in entries:
            click.echo(f"  {entry.id} (onglet « {entry.tab} », reçu le {_when(entry.queued_at)})")
        if storage.delivery_error:
            click.echo(f"  Dernière erreur : {storage.delivery_error}")
    return len(entries)


def echo_mail(board) -> int:
    """Mail status and trips no longer listed for want of confirmation; how many need a look."""
    from comobi.mail.mailer import get_mailer
    from comobi.models import EXPIRED

    lines = get_mailer().status_lines()
    for line in lines:
        click.echo(line)
    expired = [t for t in board.trips if t.status == EXPIRED]
    for trip in expired:
        click.echo(f"Trajet {trip.id} (ligne {trip.row}) plus affiché : non confirmé depuis le rappel du "
                   f"{trip.reminded:%d/%m/%Y} (écrivez la date du jour dans « Confirmé le » pour le republier).")
    return (len(lines) if get_mailer().enabled else 0) + len(expired)


def echo_duplicate_ids(board) -> int:
    """Rows sharing an ID (copied and pasted): the app would only ever see and change the first."""
    from comobi.rows import duplicate_ids
    from comobi.schema import REQUESTS, TRIPS

    found = 0
    for title, items in ((TRIPS.title, board.trips), (REQUESTS.title, board.requests)):
        for record_id, numbers in duplicate_ids(items).items():
            found += 1
            lines = ", ".join(str(n) for n in numbers)
            click.echo(f"À corriger : « {title} », lignes {lines} : même identifiant « {record_id} » ; "
                       "effacez l'ID de la copie (le site lui en donnera un nouveau).")
    return found


def echo_refused(storage) -> int:
    """Write-backs kept while the sheet was down, then refused by it (storage/writer.py)."""
    refused = storage.outbox.refused()
    for entry in refused:
        click.echo(f"Modification refusée ({entry.id}, onglet « {entry.tab} », reçue le {_when(entry.queued_at)}) : "
                   f"{entry.reason} Détail : {entry.extra.get('values', {})} ; "
                   f"supprimez {entry.path} une fois traitée.")
    return len(refused)


def echo_missing_rows(storage) -> int:
    """Rows people were thanked for that are no longer in the sheet (storage/journal.py)."""
    gone = storage.missing_rows()
    if gone:
        click.echo(f"Attention : {len(gone)} ligne(s) enregistrée(s) par le site ne sont plus dans le tableur "
                   "(un classeur ancien enregistré par-dessus ?). Remettez-les ou confirmez leur suppression "
                   "depuis /gestion :")
        for row in gone:
            click.echo(f"  {row.id} (onglet « {row.tab} », reçu le {_when(row.at)})")
    return len(gone)


def _when(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).strftime("%d/%m/%Y à %H:%M")
    except ValueError:
        return iso or "?"


def describe_backend(settings: dict) -> str:
    if settings["sheet.backend"] == "google":
        return f"Google Sheet {settings['sheet.spreadsheet_id'] or '(identifiant manquant)'}"
    return f"classeur local {settings['sheet.path']}"


@sheet_cli.command("template")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), default="modele-covoiturage.xlsx")
def template_command(path: Path):
    """Écrit un classeur vide (les onglets et leurs colonnes), à importer dans Google Drive."""
    from comobi.demo import create_template
    from comobi.storage.local import LocalSpreadsheet

    if path.exists():
        raise click.ClickException(f"« {path} » existe déjà : choisissez un autre nom, rien n'a été écrasé.")
    create_template(LocalSpreadsheet(path, keep_backups=False))  # a new file: nothing to go back to
    path.with_name(path.name + ".lock").unlink(missing_ok=True)  # nobody else is writing a new file
    click.echo(f"Modèle écrit : {path.resolve()}")
    click.echo("Dans Google Sheets : créez une feuille vierge, puis Fichier > Importer > Importer, "
               "choisissez ce fichier et « Remplacer la feuille de calcul ».")


def echo_saved(storage) -> None:
    """What the pages show while the sheet cannot be read: the last read kept on disk."""
    saved = storage.cache.saved_board() if storage.snapshot else None
    if saved is None:
        click.echo("Aucune lecture précédente enregistrée : les pages de trajets ne peuvent pas s'afficher "
                   "(les formulaires restent ouverts, les envois sont gardés).")
        return
    click.echo(f"Les pages montrent la dernière lecture réussie, du {saved.read_at:%d/%m/%Y à %H:%M} : "
               f"{len(saved.trips)} trajet(s), {len(saved.requests)} demande(s) "
               f"(enregistrée dans {storage.snapshot.path}).")


def echo_leftovers(storage) -> int:
    """Temporary files of interrupted posts still there (removed at start-up); return how many."""
    from comobi.storage.leftovers import temporary_files

    count = len(temporary_files(storage.outbox.folder))
    if count:
        click.echo(f"{count} fichier(s) temporaire(s) d'envois interrompus dans {storage.outbox.folder} "
                   "(jamais confirmés à personne ; supprimés au prochain démarrage).")
    return count
