"""What went wrong with Google Sheets, said in plain French for the clerk."""
from __future__ import annotations

import requests
from google.auth import exceptions as auth_exceptions
from gspread.exceptions import APIError

from comobi.storage.port import StorageError


def plain_french(error: Exception, spreadsheet_id: str, client_email: str | None,
                 tabs=()) -> StorageError | None:
    """The StorageError to show for ``error``, or None when it is not a Google or network problem."""
    if isinstance(error, APIError):
        return StorageError(_api_message(error, spreadsheet_id, client_email, tabs))
    if isinstance(error, auth_exceptions.RefreshError):
        return StorageError("Google refuse la clé du compte de service (clé supprimée, désactivée ou "
                            "d'un autre projet ?) : en créer une nouvelle dans la console Google Cloud.")
    if isinstance(error, requests.Timeout):
        return StorageError("Google Sheets n'a pas répondu à temps : nouvel essai dans un instant.")
    if isinstance(error, (requests.RequestException, auth_exceptions.TransportError)):
        return StorageError("Impossible de joindre Google Sheets (connexion Internet du serveur ?) : "
                            "nouvel essai dans un instant.")
    return None


def _api_message(error: APIError, spreadsheet_id: str, client_email: str | None, tabs) -> str:
    status = error.response.status_code
    message = str(error.error.get("message", ""))
    if status == 403 and ("has not been used" in message or "disabled" in message):
        return ("L'API Google Sheets n'est pas activée pour le projet du compte de service : l'activer "
                "dans la console Google Cloud (« API et services »), puis réessayer.")
    if status == 403:
        whom = client_email or "l'adresse « client_email » du fichier de clé du compte de service"
        return (f"Le Google Sheet n'est pas partagé avec le compte de service. Dans Google Sheets, "
                f"cliquer sur « Partager » et ajouter {whom} comme éditeur.")
    if status == 404:
        return (f"Aucun Google Sheet ne porte l'identifiant « {spreadsheet_id} » : vérifier le réglage "
                "sheet.spreadsheet_id (copier l'adresse du tableur depuis le navigateur).")
    if status == 401:
        return ("Google refuse la clé du compte de service (clé supprimée ou révoquée ?) : "
                "en créer une nouvelle dans la console Google Cloud.")
    if status == 429:
        return ("Google limite le nombre de lectures du tableur et la limite est atteinte pour le moment : "
                "les données seront relues dans une minute.")
    if status == 400 and "Unable to parse range" in message:
        named = [t for t in tabs if t.replace("'", "''") in message.split("range:", 1)[1]] or list(tabs)
        names = ", ".join(f"« {t} »" for t in named) or "demandé"
        return (f"Onglet {names} introuvable dans le Google Sheet (renommé ou supprimé ?) : "
                "« flask --app app sheet init » recrée les onglets manquants.")
    if status >= 500:
        return f"Google Sheets est momentanément indisponible (erreur {status}) : nouvel essai dans un instant."
    return f"Google Sheets a refusé la demande (erreur {status}) : {message}"
