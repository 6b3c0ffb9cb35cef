"""Queue folders shared by the two outboxes (storage/durable.py)."""
import json
import logging

from comobi.mail.outbox import MailOutbox
from comobi.storage.durable import read_items, write_durably
from comobi.storage.outbox import Outbox


def test_written_whole_read_back_oldest_first(tmp_path):
    for name in ("002.json", "001.json", "003.json"):
        write_durably(tmp_path / name, json.dumps({"n": name}))
    assert [data["n"] for data in read_items(tmp_path, lambda path, data: data, "x")] == \
        ["001.json", "002.json", "003.json"]
    assert not list(tmp_path.glob("*.tmp"))


def test_an_unreadable_file_is_logged_and_left(tmp_path, caplog):
    write_durably(tmp_path / "1.json", "{}")
    (tmp_path / "2.json").write_text("{not json", encoding="utf-8")
    write_durably(tmp_path / "3.json", json.dumps({"a": 1}))
    with caplog.at_level(logging.ERROR):
        items = read_items(tmp_path, lambda path, data: data["a"], "Envoi en attente")
    assert items == [1]  # 1.json has no "a" (KeyError), 2.json is not JSON: both left for a person
    assert caplog.text.count("Envoi en attente illisible") == 2
    assert (tmp_path / "2.json").exists()


def test_no_folder_nothing_waits(tmp_path):
    assert read_items(tmp_path / "absent", lambda path, data: data, "x") == []


def test_both_outboxes_read_through_it(tmp_path, caplog):
    rows = Outbox(tmp_path / "rows")
    rows.put("Trajets", {"id": "T1", "key": "k1"})
    (tmp_path / "rows" / "0-bad.json").write_text("[]", encoding="utf-8")
    mails = MailOutbox(tmp_path / "mail")
    with caplog.at_level(logging.ERROR):
        assert [entry.id for entry in rows.entries()] == ["T1"]
        mails.queue.mkdir(parents=True)
        (mails.queue / "0-bad.json").write_text('{"unknown": 1}', encoding="utf-8")
        assert mails.waiting() == []
    assert "Envoi en attente illisible" in caplog.text and "E-mail en attente illisible" in caplog.text
