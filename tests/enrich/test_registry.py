from pathlib import Path

import pytest

from lagebild.enrich.registry import RegistryError, load_file, load_registry


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "actors_x.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_shipped_registry_loads_with_unique_ids():
    actors = load_registry()
    assert len(actors) >= 300
    assert len({a.id for a in actors}) == len(actors)


def test_error_names_file_and_entry(tmp_path):
    p = _write(tmp_path, "actors:\n  - {id: ok, name: A, kind: person}\n  - {id: bad, name: B, kind: planet}\n")
    with pytest.raises(RegistryError, match=r"actors_x.yaml entry #2 \(id='bad'\).*kind"):
        load_file(p)


def test_bad_role_dates_are_rejected(tmp_path):
    p = _write(tmp_path, "actors:\n  - id: p\n    name: P Q\n    kind: person\n"
                         "    roles: [{role: X, from: 2020-01-01, to: 2019-01-01}]\n")
    with pytest.raises(RegistryError, match="before"):
        load_file(p)


def test_duplicate_ids_across_files(tmp_path):
    a = _write(tmp_path, "actors:\n  - {id: same, name: A, kind: country, country: DE}\n")
    b = tmp_path / "actors_y.yaml"
    b.write_text("actors:\n  - {id: same, name: B, kind: country, country: FR}\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="already defined"):
        load_registry([a, b])
