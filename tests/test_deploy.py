"""The deployment recipes in deploy/ and the Procfile: valid, and pointing at real commands."""
from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from comobi.settings import PROJECT_ROOT
from tests.workbooks import trip_row, trips_workbook

DEPLOY = PROJECT_ROOT / "deploy"


@pytest.fixture(scope="module")
def workflow():
    return yaml.safe_load((DEPLOY / "github-pages.yml").read_text())


def steps(workflow):
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_the_workflow_runs_on_a_schedule_and_on_demand(workflow):
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["schedule"][0]["cron"] and "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["env"]["GOOGLE_SERVICE_ACCOUNT_JSON"] == "${{ secrets.GOOGLE_SERVICE_ACCOUNT_JSON }}"
    uses = [step.get("uses", "").split("@")[0] for step in steps(workflow)]
    for action in ("actions/checkout", "actions/configure-pages", "actions/upload-pages-artifact",
                   "actions/deploy-pages"):
        assert action in uses
    upload = next(s for s in steps(workflow) if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "_site"
    assert workflow["jobs"]["deploy"]["needs"] == "build"


def test_the_workflow_flask_commands_are_real(workflow, make_app, tmp_path):
    sheet = trips_workbook(tmp_path / "s.xlsx", [trip_row(id="T1")])
    runner = make_app(sheet, **{"scope.departements": [], "scope.epci": ["200023737"],
                                "legal.controller": "CC du Causse, 46240 Labastide-Murat"}).test_cli_runner()
    commands = [step["run"] for step in steps(workflow) if "run" in step]
    flask_commands = [c for c in commands if c.startswith("flask ")]
    assert len(flask_commands) == 2
    for command in flask_commands:
        command = command.replace("${{ steps.pages.outputs.base_url }}", "https://t.github.io/covoit/")
        args = shlex.split(command)
        assert args[:3] == ["flask", "--app", "app"]
        args = [str(tmp_path / "_site") if a == "_site" else a for a in args[3:]]
        result = runner.invoke(args=args)
        assert result.exit_code == 0, (command, result.output)
    assert (tmp_path / "_site/index.html").is_file() and (tmp_path / "_site/404.html").is_file()
    installs = [c for c in commands if "pip install" in c]
    assert installs == ["python -m pip install -e ."] and (PROJECT_ROOT / "pyproject.toml").is_file()


def test_the_procfile_starts_gunicorn_on_the_app(tmp_path):
    line = (PROJECT_ROOT / "Procfile").read_text().strip()
    kind, _, command = line.partition(": ")
    assert kind == "web"
    args = shlex.split(command.replace("${PORT:-8000}", "8123"))
    assert args[:2] == ["gunicorn", "app:app"]
    gunicorn = Path(sys.executable).with_name("gunicorn")
    env = {"PATH": str(gunicorn.parent), "PORT": "8123", "SECRET_KEY": "test",
           "COMOBI_INSTANCE": str(PROJECT_ROOT / "instance.example.toml"), "HOME": str(tmp_path)}
    checked = subprocess.run([str(gunicorn), "--check-config", *args[1:]], cwd=PROJECT_ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stderr
    wrong = subprocess.run([str(gunicorn), "--check-config", "nowhere:app"], cwd=PROJECT_ROOT, env=env,
                           capture_output=True, text=True, timeout=120)
    assert wrong.returncode != 0  # the check does import the app


def test_requirements_install_the_project_in_place():
    lines = [l for l in (PROJECT_ROOT / "requirements.txt").read_text().splitlines() if l and not l.startswith("#")]
    assert lines == ["-e ."]


def test_the_systemd_unit(tmp_path):
    unit = configparser.ConfigParser(interpolation=None, strict=True)
    unit.optionxform = str
    unit.read_string((DEPLOY / "comobi.service").read_text())
    service = unit["Service"]
    assert "gunicorn app:app --bind 127.0.0.1:8000" in service["ExecStart"]
    assert service["WorkingDirectory"] == "/srv/comobi" and service["User"] == "comobi"
    assert service["EnvironmentFile"].startswith("-/etc/comobi/")  # secrets outside the repository
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_nginx_proxies_to_the_unit_s_address():
    conf = (DEPLOY / "nginx.conf").read_text()
    assert "server 127.0.0.1:8000;" in conf and "proxy_pass http://comobi;" in conf
    assert "alias /srv/comobi/static/;" in conf


def test_nginx_keeps_public_pages_only():
    conf = (DEPLOY / "nginx.conf").read_text()
    assert "proxy_cache_valid 200 10s;" in conf and "gzip on;" in conf
    assert "proxy_cache_methods GET HEAD;" in conf  # never a POST (forms, the contact button)
    for skip in ("proxy_cache_bypass", "proxy_no_cache"):
        assert f"{skip} $cookie_session $comobi_private_page" in conf
    assert "proxy_ignore_headers" not in conf  # answers with Set-Cookie or no-store stay unkept
    for private in ("~^/gestion", "proposer|demander", "/contact$"):
        assert private in conf


# nginx -t on a stock Debian server: tests/test_deploy_server.py


def test_no_secret_in_the_recipes():
    for path in [*DEPLOY.iterdir(), PROJECT_ROOT / "Procfile", PROJECT_ROOT / "instance.example.toml"]:
        text = path.read_text()
        assert "PRIVATE KEY" not in text and '"private_key"' not in text, path


def test_a_typo_in_the_instance_file_is_one_line_in_french(tmp_path):
    bad = tmp_path / "instance.toml"
    bad.write_text('[service]\nname = "Covoit\n')
    flask = Path(sys.executable).with_name("flask")
    env = {"PATH": str(flask.parent), "COMOBI_INSTANCE": str(bad), "HOME": str(tmp_path)}
    result = subprocess.run([str(flask), "--app", "app", "sheet", "check"], cwd=PROJECT_ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "ERREUR : Fichier de configuration illisible" in result.stderr and "ligne 2" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_command_in_deploy_md_exists(make_app):
    import re

    runner = make_app().test_cli_runner()
    text = (PROJECT_ROOT / "DEPLOY.md").read_text()
    commands = set(re.findall(r"flask --app app ([a-z]+(?: [a-z][a-z-]*)?)", text))
    assert {"sheet template", "sheet check", "sheet init", "freeze", "run"} <= commands
    for command in commands - {"run"}:
        result = runner.invoke(args=[*command.split(), "--help"])
        assert result.exit_code == 0 and "Usage" in result.output, command
    for path in re.findall(r"`(deploy/[a-z.-]+)`", text):
        assert (PROJECT_ROOT / path).is_file(), path
