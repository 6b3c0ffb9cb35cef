"""Plain-French warnings about an instance's settings, for the log and ``flask sheet check``."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from comobi.branding import readable_brand_colour
from comobi.settings import PROJECT_ROOT, SETTINGS

DEMO_CONTROLLER = "Communauté de communes (démo)"
_ADDRESSES = ("service.url", "service.request_form_url", "service.offer_form_url", "freeze.base_url")


def instance_warnings(settings: dict, static_folder: Path = PROJECT_ROOT / "static") -> list[str]:
    warnings = unknown_setting_warnings(settings)
    _, colour_warning = readable_brand_colour(settings["branding.color"])
    if colour_warning:
        warnings.append(colour_warning)
    for key in _ADDRESSES:
        if settings[key] and urlsplit(settings[key]).scheme not in ("http", "https"):
            warnings.append(f"Réglage « {key} » : « {settings[key]} » n'est pas une adresse web "
                            "(elle doit commencer par https://).")
    if not str(settings["service.phone"]).strip():
        warnings.append("Réglage « service.phone » vide : les personnes sans internet ne pourront pas appeler.")
    if settings["legal.controller"] == DEMO_CONTROLLER:
        warnings.append("Réglage « legal.controller » : indiquez le vrai responsable des données "
                        "(le nom de votre collectivité ou association).")
    warnings += _image_warnings("branding.logo", settings["branding.logo"], static_folder)
    warnings += _tariff_warnings(settings)
    partners = settings["branding.partners"]
    for number, partner in enumerate(partners, start=1):
        if not isinstance(partner, dict) or not partner.get("name"):
            warnings.append(f"Réglage « branding.partners », partenaire n° {number} : il faut au moins "
                            "un nom, par exemple { name = \"Mairie\", logo = \"/static/mairie.png\", "
                            "url = \"https://...\" }.")
            continue
        warnings += _image_warnings(f"branding.partners ({partner['name']})", partner.get("logo", ""), static_folder)
    return warnings


def _tariff_warnings(settings: dict) -> list[str]:
    from comobi.tariff import MODES, TUS_CEILING_EUR_PER_KM

    mode = settings.get("tarif.mode", "palier")
    if mode not in MODES:
        return [f"Réglage « tarif.mode » : « {mode} » inconnu ; écrivez \"palier\", \"km\" ou \"forfait\" "
                "(\"palier\" est utilisé en attendant)."]
    if mode == "km" and settings["tarif.per_km_eur"] > TUS_CEILING_EUR_PER_KM:
        return [f"Réglage « tarif.per_km_eur » : {settings['tarif.per_km_eur']} € par km dépasse le plafond du "
                "transport d'utilité sociale (0,32 € par km)."]
    return []


def _image_warnings(label: str, path: str, static_folder: Path) -> list[str]:
    if not path or urlsplit(path).scheme in ("http", "https"):
        return []
    name = path.removeprefix("/").removeprefix("static/")
    if not (static_folder / name).is_file():
        return [f"Réglage « {label} » : image « {path} » introuvable. Copiez-la dans le dossier static/ "
                f"et écrivez \"/static/{Path(name).name}\"."]
    return []


def unknown_setting_warnings(settings: dict) -> list[str]:
    """A misspelt name (« [sheets] », « colour ») is otherwise silently replaced by its default."""
    known = {setting.key for setting in SETTINGS}
    sections = {key.split(".")[0] for key in known}
    unknown = [key for key in settings if key not in known and not key.startswith("_")]
    warnings = []
    for section in dict.fromkeys(key.split(".")[0] for key in unknown if key.split(".")[0] not in sections):
        warnings.append(f"Section « [{section}] » inconnue, donc ignorée avec tous ses réglages : faute de "
                        "frappe ? Comparez avec instance.example.toml.")
    for key in unknown:
        if key.split(".")[0] in sections:
            warnings.append(f"Réglage « {key} » inconnu, donc ignoré : faute de frappe ? "
                            "Comparez avec instance.example.toml.")
    return warnings
