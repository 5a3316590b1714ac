"""The fixed gallery of hostile and odd inputs: name -> (bytes, expected reason, or None = loads)."""

from __future__ import annotations

import json
from pathlib import Path

HEADER = b" date 2022-01-19 Treffen in Genf\n\n"
BODY = "Antony Blinken traf Sergej Lawrow in Genf. Beide sprachen über die Ukraine.".encode()

LOADS = None
GALLERY: dict[str, tuple[bytes, str | None]] = {
    "leer.txt": (b"", "empty file"),
    "nur-leerzeichen.txt": (b" \n\t\n  ", "empty file"),
    "nul-bytes.txt": (HEADER + b"Text\x00mit\x00Nullen " + BODY, "binary file (contains NUL bytes)"),
    "ungueltiges-utf8.txt": (HEADER + b"Gr\xf6\xdfe \xc3\x28 und " + BODY, LOADS),
    "utf16-bom.txt": ((HEADER + BODY).decode().encode("utf-16"), LOADS),
    "utf16-kaputt.txt": ((HEADER + BODY).decode().encode("utf-16") + b"\x00", "broken UTF-16"),
    "zeilenenden.txt": (HEADER.replace(b"\n", b"\r\n") + b"Erste Zeile\rzweite Zeile\r\n\r\n" + BODY, LOADS),
    "lange-zeile.txt": (HEADER + b"x" * (1 << 20) + b"\n\n" + BODY, "article too long"),
    "steuerzeichen-wenige.txt": (HEADER + b"Text \x07mit \x1bKlingel. " + BODY, LOADS),
    "steuerzeichen-viele.txt": (HEADER + b"\x01\x02\x03\x04" * 400, "binary file (mostly control characters)"),
    "emoji-rtl.txt": (HEADER + "🇺🇦 Frieden 😀 مرحبا بالعالم שלום ".encode() + BODY, LOADS),
    "monat-13.txt": (b" date 2022-13 Titel\n\n" + BODY, "impossible date"),
    "datum-0000-00.txt": (b" date 0000-00 Titel\n\n" + BODY, "impossible date"),
    "tag-32.txt": (b" date 2022-01-32 Titel\n\n" + BODY, "impossible date"),
    "datum-kaputt.txt": (b" date 22.01.2022 Titel\n\n" + BODY, "malformed date"),
    "nur-kopf.txt": (b" date 2022-01\n", "header only"),
    "ohne-text.txt": (b" date 2022-01 Nur ein Titel\n", "no article text"),
    "ohne-kopf.txt": (BODY, "no date header"),
    "bild.png": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "unsupported file type '.png'"),
    "ohne-endung": (HEADER + BODY, "unsupported file type '(none)'"),
    "viele-absaetze.txt": (HEADER + b"wort\n\n" * 200_000, "article too long"),
    "viele-kurze-absaetze.txt": (HEADER + b"wort\n\n" * 100_000, LOADS),
    "leer.jsonl": (b"\n\n", "empty file"),
    "nur-kaputt.jsonl": (b"{\n[1, 2]\n\"text\"\n", "no valid article line"),
}


def big_jsonl(lines: int = 100_000, every: int = 1000) -> tuple[bytes, int, int]:
    """A JSONL file of `lines` lines, every `every`-th broken; 20 distinct texts keep enrichment cheap.

    Returns (bytes, distinct articles, broken lines).
    """
    out = []
    for n in range(1, lines + 1):
        if n % every == 0:
            out.append('{"date": "2022-01-19", "title": "abgeschnitten')
            continue
        k = n % 20
        out.append(json.dumps({"date": f"2022-01-{k + 1:02d}", "title": f"Meldung {k}",
                               "text": f"Olaf Scholz sprach in Berlin über Thema {k}."}, ensure_ascii=False))
    return ("\n".join(out) + "\n").encode(), 20, lines // every


def write_gallery(inbox: Path) -> dict[str, str | None]:
    """Write every gallery file (plus the big JSONL and a 1 GB sparse file) into `inbox`."""
    expected: dict[str, str | None] = {}
    for name, (data, reason) in GALLERY.items():
        (inbox / name).write_bytes(data)
        expected[name] = reason
    (inbox / "100k-zeilen.jsonl").write_bytes(big_jsonl()[0])
    expected["100k-zeilen.jsonl"] = LOADS
    with (inbox / "sparse-1gb.txt").open("wb") as handle:
        handle.truncate(1 << 30)
    expected["sparse-1gb.txt"] = "file too large: 1024.0 MB"
    return expected
