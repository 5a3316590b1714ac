"""Ingest page in AppTest: runs, outcomes, rejected files and the upload into the inbox."""

from __future__ import annotations

from dash_helpers import open_app, texts


def test_ingest_tables(with_data):
    at = open_app("ingest")
    page = texts(at)
    assert "Recent runs" in page and "Rejected (1)" in page
    frames = [df.value for df in at.dataframe]
    assert any("no date line" in df.to_string() for df in frames)


def test_ingest_status_filter(with_data):
    at = open_app("ingest")
    at.radio(key="w_ingest_status").set_value("rejected").run()
    assert not at.exception
    assert len(at.dataframe[1].value) == 1


def test_upload_writes_into_inbox_and_refuses(with_empty):
    inbox = with_empty.parent / "inbox"
    at = open_app("ingest")
    uploader = at.get("file_uploader")[0]
    uploader.upload("../../evil.txt", b"date 2022-01-03\n\nTitel\n\nText.", "text/plain")
    uploader.upload("leer.txt", b"", "text/plain")
    uploader.upload("evil.txt", b"date 2022-01-04\n\nAnderer Titel\n\nText.", "text/plain")
    at.button[0].click().run()
    page = texts(at)
    assert (inbox / "evil.txt").read_bytes().startswith(b"date")
    assert not (inbox.parent.parent / "evil.txt").exists()
    assert "saved to the inbox" in page
    assert "the file is empty" in page and "renamed from evil.txt" in page
    assert sorted(p.name for p in inbox.iterdir()) == ["evil-2.txt", "evil.txt"]


def test_ingest_empty(with_empty):
    page = texts(open_app("ingest"))
    assert "No runs yet" in page and "No rejected files" in page


def test_maintenance_shows_while_it_runs_and_after(monkeypatch, tmp_path, data_warehouse):
    import os
    import shutil

    from dash_helpers import use_warehouse

    from warehouse.maintenance import maintenance

    copy = tmp_path / "lagebild.duckdb"
    shutil.copyfile(data_warehouse, copy)
    (tmp_path / "inbox").mkdir()
    use_warehouse(monkeypatch, copy)
    assert "No maintenance has run yet" in texts(open_app("ingest"))
    with maintenance(copy, "search index rebuild") as note:
        assert "Running: search index rebuild since" in texts(open_app("ingest"))
        note("13 articles")
    at = open_app("ingest")
    jobs = next(df.value for df in at.dataframe if "task" in df.value.columns)
    assert jobs[["task", "status", "detail", "pid"]].values.tolist() == [
        ["search index rebuild", "done", "13 articles", os.getpid()]]
