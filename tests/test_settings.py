import tomllib

import pytest

from comobi import settings
from comobi.settings import EXAMPLE_FILE, SETTINGS, SettingsError


def test_every_setting_is_in_the_example_file_with_a_comment():
    text = EXAMPLE_FILE.read_text(encoding="utf-8")
    documented = settings.flatten(tomllib.loads(text))
    lines = text.splitlines()
    for setting in SETTINGS:
        assert setting.key in documented, f"{setting.key} missing from instance.example.toml"
        name = setting.key.rsplit(".", 1)[1]
        index = next(i for i, line in enumerate(lines) if line.startswith(f"{name} ="))
        assert lines[index - 1].startswith("#"), f"{setting.key} has no comment above it"


def test_example_file_values_are_the_defaults():
    values = settings.load(EXAMPLE_FILE)
    for setting in SETTINGS:
        assert values[setting.key] == setting.default, setting.key


def test_every_setting_has_help():
    assert all(s.help for s in SETTINGS)


def test_instance_file_named_by_environment(tmp_path, monkeypatch):
    path = tmp_path / "mine.toml"
    path.write_text('[service]\nname = "Covoit Figeac"\n[sheet]\ncache_seconds = 30\n', encoding="utf-8")
    monkeypatch.setenv("COMOBI_INSTANCE", str(path))
    values = settings.load()
    assert values["service.name"] == "Covoit Figeac"
    assert values["sheet.cache_seconds"] == 30
    assert values["sheet.backend"] == "local"  # default kept


@pytest.mark.parametrize("content, message", [
    ('[sheet]\ncache_seconds = "soixante"\n', "sheet.cache_seconds"),
    ("[service\nname = 1\n", "illisible"),
])
def test_bad_instance_file_says_what_is_wrong(tmp_path, content, message):
    path = tmp_path / "instance.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SettingsError, match=message):
        settings.load(path)
