"""The recipes as a fresh server or computer has them: nginx on stock Debian 12, setup.sh after
a Python upgrade, the package metadata."""
from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from comobi.settings import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"
# What Debian 12's nginx package (nginx-common) creates under /var: no /var/cache/nginx.
DEBIAN_NGINX_FOLDERS = ["/var/lib/nginx", "/var/log/nginx", "/var/www/html"]


def stock_debian_root(root: Path) -> None:
    for folder in DEBIAN_NGINX_FOLDERS:
        (root / folder.lstrip("/")).mkdir(parents=True)


def rooted(conf: str, root: Path) -> str:
    """The site's configuration with every server path moved under ``root``, unchanged otherwise."""
    return re.sub(r"(?<=[\s])(/(?:var|srv|etc)/)", lambda m: f"{root}{m.group(1)}", conf)


def nginx_test(tmp_path: Path, root: Path) -> subprocess.CompletedProcess:
    site = tmp_path / "comobi.conf"
    site.write_text(rooted((DEPLOY / "nginx.conf").read_text(), root))
    main = tmp_path / "nginx.conf"
    main.write_text(f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
                    f"http {{\n  access_log off;\n  include {site};\n}}\n")
    return subprocess.run(["nginx", "-t", "-c", str(main), "-p", str(tmp_path)], capture_output=True, text=True,
                          timeout=60)


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_nginx_accepts_the_site_on_a_stock_debian_server(tmp_path):
    root = tmp_path / "root"
    stock_debian_root(root)
    result = nginx_test(tmp_path, root)
    assert result.returncode == 0, result.stderr
    cache = re.search(r"proxy_cache_path (\S+)", (DEPLOY / "nginx.conf").read_text()).group(1)
    assert (root / cache.lstrip("/")).is_dir()  # nginx made it, in a folder the package provides


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_the_stock_server_check_catches_a_cache_folder_nobody_made(tmp_path):
    root = tmp_path / "root"
    stock_debian_root(root)
    conf = (DEPLOY / "nginx.conf").read_text()
    broken = re.sub(r"proxy_cache_path \S+", "proxy_cache_path /var/cache/nginx/comobi", conf)
    site = tmp_path / "broken.conf"
    site.write_text(rooted(broken, root))
    main = tmp_path / "nginx.conf"
    main.write_text(f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
                    f"http {{\n  access_log off;\n  include {site};\n}}\n")
    result = subprocess.run(["nginx", "-t", "-c", str(main), "-p", str(tmp_path)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode != 0 and "mkdir()" in result.stderr


# --- scripts/setup.sh ----------------------------------------------------------------------

def old_python() -> str | None:
    """A Python older than 3.11 on this machine, if any (pyenv or Debian)."""
    found = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.1[0]*/bin/python3.10")) +
                   glob.glob("/usr/bin/python3.[89]") + glob.glob("/usr/bin/python3.10"))
    return found[0] if found else None


def tiny_project(folder: Path) -> Path:
    """setup.sh next to a pyproject.toml without dependencies: a quick install."""
    (folder / "scripts").mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "scripts/setup.sh", folder / "scripts/setup.sh")
    (folder / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=77"]\nbuild-backend = "setuptools.build_meta"\n'
        '[project]\nname = "tiny"\nversion = "0"\nlicense = "MIT"\n'
        '[project.optional-dependencies]\ntest = []\n[tool.setuptools]\npy-modules = []\n')
    return folder


def run_setup(project: Path, python: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHON": python}
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(["bash", str(project / "scripts/setup.sh")], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)


def test_setup_rebuilds_a_venv_made_by_an_old_python(tmp_path):
    project = tiny_project(tmp_path / "projet")
    old = old_python()
    if old:
        subprocess.run([old, "-m", "venv", "--without-pip", str(project / ".venv")], check=True, timeout=120)
    else:  # a stand-in that answers as Python 3.10 would to setup.sh's question
        bin_dir = project / ".venv/bin"
        bin_dir.mkdir(parents=True)
        (bin_dir / "python").write_text("#!/bin/sh\nexit 1\n")
        (bin_dir / "python").chmod(0o755)
    result = run_setup(project, sys.base_prefix + "/bin/python3")
    assert result.returncode == 0, result.stderr
    assert "refait avec Python 3." in result.stderr
    version = subprocess.run([str(project / ".venv/bin/python"), "-c", "import sys; print(sys.version_info[:2])"],
                             capture_output=True, text=True, check=True).stdout
    assert version.strip() >= "(3, 11)" and (project / ".venv/.installed").is_file()


def test_setup_refuses_an_old_python_in_french(tmp_path):
    project = tiny_project(tmp_path / "projet")
    stand_in = tmp_path / "python3.10"
    stand_in.write_text("#!/bin/sh\nexit 1\n")  # fails the version question, as 3.10 does
    stand_in.chmod(0o755)
    result = run_setup(project, str(stand_in))
    assert result.returncode == 1 and not (project / ".venv").exists()
    assert "il faut Python 3.11 ou plus récent" in result.stderr and "python.org" in result.stderr


# --- pyproject.toml ------------------------------------------------------------------------

def test_the_license_is_an_spdx_expression_that_setuptools_reads():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())
    assert project["project"]["license"] == "MIT"  # not the deprecated { text = "MIT" } table
    assert not any(c.startswith("License ::") for c in project["project"].get("classifiers", []))
    requires = project["build-system"]["requires"]
    minimum = [int(re.search(r">=(\d+)", r).group(1)) for r in requires if r.startswith("setuptools")]
    assert minimum and minimum[0] >= 77  # the first setuptools to read license = "..." (PEP 639)


def test_deploy_md_quotes_what_setup_prints():
    doc = " ".join((PROJECT_ROOT / "DEPLOY.md").read_text().split())
    script = (PROJECT_ROOT / "scripts/setup.sh").read_text()
    for said in ("il faut Python 3.11 ou plus récent", "Le dossier .venv a été fait avec un Python trop ancien"):
        assert said in doc and said in script, said


# --- DEPLOY.md: each option doable by the person it is written for -------------------------

DOC = (PROJECT_ROOT / "DEPLOY.md").read_text()


def option(letter: str) -> str:
    start = DOC.index(f"## Étape 6 (choix {letter})")
    return DOC[start:DOC.index("\n## ", start + 1)]


@pytest.mark.parametrize("letter", ["A", "B", "C"])
def test_every_option_says_how_to_open_gestion(letter):
    text = option(letter)
    assert "/gestion" in text
    assert "flask --app app admin hash-password" in text or "`COMOBI_ADMIN_PASSWORD`" in text


def test_option_c_keeps_its_settings_out_of_the_repository():
    unit = (DEPLOY / "comobi.service").read_text()
    assert "Environment=COMOBI_INSTANCE=/etc/comobi/instance.toml" in unit
    text = option("C")
    assert "install -m 600 -o comobi /chemin/instance.toml /etc/comobi/instance.toml" in text
    assert "/srv/comobi/instance.toml" not in text and "/srv/comobi/instance.toml" not in unit
    later = DOC[DOC.index("## Plus tard"):]
    assert "/etc/comobi/instance.toml" in later  # a change of setting on the server stays there


def test_the_dns_record_comes_before_certbot():
    text = option("C")
    assert text.index("enregistrement DNS") < text.index("certbot --nginx")
    assert "sed -i 's/covoiturage.example.fr/" in text and "server_name covoiturage.example.fr;" in (
        DEPLOY / "nginx.conf").read_text()  # the sed line finds what it replaces


def test_the_secret_key_command_makes_one():
    command = re.search(r'`(python3 -c "import secrets; print\(secrets.token_hex\(32\)\)")`', option("B")).group(1)
    made = subprocess.run(command.replace("python3", sys.executable, 1), shell=True, capture_output=True,
                          text=True, check=True).stdout.strip()
    assert re.fullmatch(r"[0-9a-f]{64}", made)
