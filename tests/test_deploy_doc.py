"""DEPLOY.md quotes real names: settings, options, environment variables and messages.

The clerk follows the guide word for word; a renamed setting or a reworded message must
make this file fail rather than leave her with advice that matches nothing on her screen.
"""
from __future__ import annotations

import re
import tomllib

import click
import pytest
from flask.cli import run_command

from comobi import settings
from comobi.settings import PROJECT_ROOT, SETTINGS

DOC = (PROJECT_ROOT / "DEPLOY.md").read_text(encoding="utf-8")
KNOWN = {setting.key for setting in SETTINGS}
SECTIONS = sorted({key.split(".")[0] for key in KNOWN})
# Adjacent literals of one message, split over lines in the code: "abc " "def" -> "abc def".
_JOINED_LITERALS = re.compile(r"\"\s*\n\s*f?\"")


def source_text() -> str:
    text = "\n".join(path.read_text(encoding="utf-8") for path in (PROJECT_ROOT / "comobi").rglob("*.py"))
    return _JOINED_LITERALS.sub("", text)


def test_dotted_setting_names_exist():
    quoted = set(re.findall(rf"\b((?:{'|'.join(SECTIONS)})\.[a-z_]+)\b", DOC))
    assert {"service.url", "branding.color", "legal.controller"} <= quoted
    assert quoted <= KNOWN, quoted - KNOWN


def test_the_example_instance_file_loads(tmp_path):
    block = re.search(r"```toml\n(.*?)```", DOC, re.S).group(1)
    path = tmp_path / "instance.toml"
    path.write_text(block, encoding="utf-8")
    values = settings.load(path)  # a wrong type would raise SettingsError
    assert set(settings.flatten(tomllib.loads(block))) <= KNOWN
    assert values["sheet.backend"] == "google"


def test_settings_to_write_in_a_section_exist(tmp_path):
    asked = re.findall(r"section `\[(\w+)\]`, écrivez `(\w+) = ([^`]+)`", DOC)
    assert asked, "DEPLOY.md no longer asks for trusted_proxies behind a proxy"
    for section, name, value in asked:
        path = tmp_path / "instance.toml"
        path.write_text(f"[{section}]\n{name} = {value}\n", encoding="utf-8")
        assert f"{section}.{name}" in KNOWN
        settings.load(path)


def test_environment_variables_are_read_by_the_app():
    named = set(re.findall(r"`([A-Z][A-Z0-9_]{4,})`", DOC)) - {"CC_PYTHON_MODULE", "CC_PYTHON_BACKEND"}
    assert {"GOOGLE_SERVICE_ACCOUNT_JSON", "SECRET_KEY", "COMOBI_INSTANCE"} <= named
    code = source_text()
    for name in named:
        assert f'"{name}"' in code, name


@pytest.mark.parametrize("command", sorted(set(re.findall(r"flask --app app ([a-z][^`\n]*)", DOC))))
def test_flask_commands_and_options_exist(make_app, command):
    app = make_app()
    words = command.split()
    context = click.Context(app.cli)
    found = run_command if words[0] == "run" else app.cli.get_command(context, words[0])
    if isinstance(found, click.Group) and len(words) > 1:
        found = found.get_command(context, words[1])
    assert found is not None, command
    options = {opt for param in found.params for opt in param.opts}
    for word in words:
        if word.startswith("--"):
            assert word in options, (command, word)


def doc_messages() -> list[str]:
    """Backticked messages the guide says the clerk will see."""
    spans = re.findall(r"`([^`\n]+)`", DOC)
    table = re.findall(r"^\| (.+?) \| ", DOC.split("Les cas les plus fréquents", 1)[1], re.M)
    in_table = [span for row in table for span in re.findall(r"`([^`]+)`", row)]
    said = [s for s in spans if s.startswith(("ERREUR :", "Attention :", "Error:", "Modèle écrit"))]
    return sorted(set(in_table + said))


@pytest.mark.parametrize("message", doc_messages())
def test_quoted_messages_are_printed_by_the_app(message):
    # Compare the fixed words only: « quoted values », numbers and ... vary; " : " joins a
    # prefix ("Attention") to a message built elsewhere.
    pieces = [p.strip(" ,./") for p in re.split(r"\.\.\.|«[^»]*»|\d+|^Error:| : ", message)]
    pieces = [p for p in pieces if len(p) >= 8]
    assert pieces, message
    code = source_text()
    for piece in pieces:
        assert piece in code, (message, piece)
