"""The instance's settings: one table with defaults and help, read from a TOML file.

The file is named by ``COMOBI_INSTANCE``, else ``instance.toml`` at the project root,
else ``instance.example.toml`` (demo mode). Every key of ``SETTINGS`` must be documented
in ``instance.example.toml``; a test checks it.
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_FILE = PROJECT_ROOT / "instance.example.toml"


@dataclass(frozen=True)
class Setting:
    key: str  # dotted: "section.name"
    default: Any
    help: str


SETTINGS = [
    Setting("service.name", "Covoiturage solidaire du Lot", "Nom du service, en haut de chaque page."),
    Setting("service.territory", "Lot", "Territoire couvert, dans les phrases d'accueil."),
    Setting("service.phone", "05 65 00 00 00", "Téléphone du service, affiché partout."),
    Setting("service.email", "", "Adresse e-mail du service."),
    Setting("service.hours", "du lundi au vendredi, de 9h à 17h", "Horaires de la permanence téléphonique."),
    Setting("service.url", "", "Adresse publique du site en ligne (liens des pages figées)."),
    Setting("service.domain", "covoiturage.example.fr", "Nom de domaine, identifiant de l'opérateur."),
    Setting("service.request_form_url", "", "Formulaire de demande externe (site figé sans serveur)."),
    Setting("service.offer_form_url", "", "Formulaire externe pour proposer un trajet (site figé sans serveur)."),
    Setting("scope.departements", ["46"], "Départements couverts (codes)."),
    Setting("scope.epci", [], "Intercommunalités couvertes (numéros SIREN), en plus des départements."),
    Setting("sheet.backend", "local", "Stockage : « local » (classeur) ou « google » (Google Sheets)."),
    Setting("sheet.path", "instance/covoiturage.xlsx", "Classeur local, créé avec des données de démonstration."),
    Setting("sheet.spreadsheet_id", "", "Identifiant ou adresse du Google Sheet."),
    Setting("sheet.credentials", "", "Fichier de clé du compte de service Google."),
    Setting("sheet.cache_seconds", 60, "Durée pendant laquelle une lecture du tableur est réutilisée."),
    Setting("sheet.timeout_seconds", 10.0, "Attente maximale d'une réponse de Google Sheets, en secondes."),
    Setting("sheet.read_wait_seconds", 0.5, "Attente maximale d'une relecture avant de servir la précédente."),
    Setting("sheet.snapshot_path", "instance/derniere-lecture.json", "Dernière lecture réussie, gardée sur disque."),
    Setting("sheet.miss_refreshes_per_minute", 12, "Relectures par minute pour un identifiant inconnu."),
    Setting("moderation.enabled", False, "Vrai : un trajet proposé attend la validation du référent."),
    Setting("matching.detour_factor", 1.8, "Détour accepté : trajet avec passager ≤ facteur × trajet direct."),
    Setting("matching.near_km", 5.0, "Distance (km) en dessous de laquelle deux lieux sont « proches »."),
    Setting("tarif.enabled", False, "Vrai : afficher une indemnité conseillée."),
    Setting("tarif.base_eur", 3.75, "Indemnité forfaitaire (euros) jusqu'à base_km."),
    Setting("tarif.base_km", 12.0, "Kilomètres couverts par le forfait."),
    Setting("tarif.per_km_eur", 0.32, "Euros par kilomètre au-delà du forfait."),
    Setting("tarif.road_factor", 1.3, "Distance routière estimée = distance à vol d'oiseau × facteur."),
    Setting("tarif.ticket_eur", 1.25, "Valeur d'un ticket mobilité (euros)."),
    Setting("tarif.mode", "palier", "Calcul de l'indemnité : « palier » (forfait puis par km), « km » (par km "
            "depuis le domicile du bénévole, plafond TUS 0,32 €/km) ou « forfait » (montant fixe par course)."),
    Setting("tarif.flat_eur", 5.0, "Montant fixe d'une course (euros) quand mode = « forfait »."),
    Setting("courses.weeks_ahead", 4, "Semaines d'avance pour lesquelles les courses régulières sont planifiées."),
    Setting("branding.color", "#005a8c", "Couleur principale (contraste vérifié)."),
    Setting("branding.logo", "", "Logo (chemin dans static/ ou adresse)."),
    Setting("branding.partners", [], "Partenaires en pied de page : liste de {name, logo, url}."),
    Setting("legal.controller", "Communauté de communes (démo)", "Responsable du traitement des données."),
    Setting("legal.publisher", "", "Directeur de la publication (mentions légales)."),
    Setting("legal.host", "", "Hébergeur du site (mentions légales)."),
    Setting("legal.retention", "Les trajets et les demandes sont effacés au plus tard un an après leur dernière "
            "utilisation.", "Durée de conservation des données (page « Données personnelles »)."),
    Setting("legal.retention_days", 365, "Jours après la dernière utilisation au-delà desquels flask sheet purge "
            "efface les données personnelles d'une ligne."),
    Setting("interop.operators", [], "Autres plateformes de covoiturage interrogées (standard covoiturage)."),
    Setting("interop.timeout_seconds", 2.0, "Attente maximale des autres plateformes, en secondes."),
    Setting("interop.rate_limit_per_minute", 60,
            "Requêtes par minute et par adresse sur l'API publique (0 : sans limite)."),
    Setting("freeze.destination", "build", "Dossier où écrire le site figé."),
    Setting("admin.password_hash", "", "Empreinte du mot de passe de l'espace /gestion (flask admin hash-password)."),
    Setting("admin.session_hours", 8.0, "Durée (heures) d'une connexion à l'espace /gestion."),
    Setting("freeze.base_url", "", "Adresse publique du site figé (page d'erreur, adresses de trajets.json)."),
    Setting("outbox.path", "instance/outbox", "Dossier des envois gardés quand le tableur ne répond pas."),
    Setting("outbox.retry_seconds", 30, "Attente minimale (secondes) avant de réessayer d'écrire dans le tableur."),
    Setting("security.form_rate_limit_per_hour", 10,
            "Envois de formulaire par heure et par adresse (0 : sans limite)."),
    Setting("security.contact_rate_limit_per_hour", 20, "Numéros affichés par heure et par adresse (0 : sans limite)."),
    Setting("security.min_fill_seconds", 3, "Un formulaire envoyé plus vite que cela est refusé (robots)."),
    Setting("security.secure_cookies", True, "Cookies réservés au HTTPS (sauf en mode debug)."),
    Setting("security.trusted_proxies", 0, "Nombre de serveurs mandataires (proxy) devant l'application."),
    Setting("security.proxy_addresses", [], "Adresses des mandataires crus, en plus de la machine elle-même."),
    Setting("security.allowed_hosts", [], "Autres noms d'hôte acceptés, en plus de celui de service.url."),
    Setting("security.contact_list_limit_per_hour", 200,
            "Numéros affichés par heure pour toute la liste (0 : sans limite)."),
    Setting("security.rate_limit_storage", "", "Où compter les limites : vide (fichier dans instance/) ou redis://..."),
    Setting("mail.host", "", "Serveur d'envoi des e-mails (SMTP) ; vide : aucun e-mail n'est envoyé."),
    Setting("mail.port", 587, "Port du serveur SMTP (587 avec starttls, 465 avec ssl)."),
    Setting("mail.security", "starttls", "Chiffrement : « starttls », « ssl » ou « none »."),
    Setting("mail.username", "", "Identifiant SMTP (mot de passe : variable d'environnement COMOBI_SMTP_PASSWORD)."),
    Setting("mail.sender", "", "Adresse d'expédition des e-mails (From)."),
    Setting("mail.to", "", "Adresse du référent pour les alertes (vide : service.email)."),
    Setting("mail.digest", False,
            "Vrai : un seul récapitulatif par jour (flask notify) au lieu d'un e-mail par envoi."),
    Setting("mail.answer_days", 14, "Jours pendant lesquels un conducteur peut répondre Oui / Non."),
    Setting("mail.path", "instance/mail", "Dossier des e-mails en attente et du journal des envois."),
    Setting("freshness.confirm_days", 90,
            "Jours sans confirmation avant de demander au conducteur si son trajet tient."),
    Setting("freshness.grace_days", 30, "Jours après ce rappel avant que le trajet non confirmé ne soit plus affiché."),
]

_BY_KEY = {s.key: s for s in SETTINGS}


class SettingsError(Exception):
    """The instance file is unreadable or holds a wrong value (message in French)."""


def instance_file() -> Path:
    named = os.environ.get("COMOBI_INSTANCE")
    if named:
        return Path(named)
    local = PROJECT_ROOT / "instance.toml"
    return local if local.exists() else EXAMPLE_FILE


def load(path: Path | None = None) -> dict[str, Any]:
    """Flat dict ``{"section.key": value}`` with every setting, defaults filled in."""
    path = path or instance_file()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise SettingsError(f"Fichier de configuration introuvable : {path}") from error
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"Fichier de configuration illisible ({path}) : {_where(error)}") from error
    values = {s.key: s.default for s in SETTINGS}
    for key, value in flatten(raw).items():
        if key in _BY_KEY:
            values[key] = _checked(key, value)
        else:
            values[key] = value  # free-form sections (operators...) are kept as they are
    values["_file"] = str(path)
    return values


def flatten(table: dict, prefix: str = "") -> dict[str, Any]:
    flat = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict):
            flat.update(flatten(value, key + "."))
        else:
            flat[key] = value
    return flat


def _checked(key: str, value: Any) -> Any:
    expected = type(_BY_KEY[key].default)
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, expected):
        raise SettingsError(f"Réglage « {key} » : valeur {value!r} invalide, il faut {_EXPECTED[expected]}.")
    return value


_EXPECTED = {
    str: "un texte entre guillemets",
    int: "un nombre entier sans guillemets",
    float: "un nombre sans guillemets",
    bool: "true ou false, sans guillemets",
    list: 'une liste entre crochets, par exemple ["46"]',
}
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def _where(error: tomllib.TOMLDecodeError) -> str:
    """tomllib's English message turned into a French hint with the line number."""
    found = _TOML_POSITION.search(str(error))
    if not found:
        return f"faute de frappe ({error})."
    return (f"faute de frappe à la ligne {found.group(1)}, colonne {found.group(2)} (un guillemet oublié ? "
            f"« Oui » au lieu de true ?). Détail : {_TOML_POSITION.sub('', str(error)).strip()}.")
