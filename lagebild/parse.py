"""Bytes of an inbox file -> Articles, or a specific reason why not. Pure: no I/O."""

from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from lagebild.article import Article, article_id_for

TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")  # .ndjson: the other common name of JSON Lines
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + JSONL_SUFFIXES
MIN_YEAR = 1900

MONTHS_DE = {
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "april": 4, "mai": 5, "juni": 6,
    "juli": 7, "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12,
}
_HEADER = re.compile(r"^\s*date\b[ \t:]*(\S*)[ \t]*(.*)$", re.IGNORECASE)
_HEADER_VALUE = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")
_TIME = r"(?:,?\s*(?:um\s+)?(\d{1,2})[:.](\d{2})\s*Uhr)?"
_NUMERIC_STAMP = re.compile(r"(Stand:?\s*)?\b(\d{1,2})\.(\d{1,2})\.(\d{4})" + _TIME)
_WORD_STAMP = re.compile(
    r"(Stand:?\s*)?\b(\d{1,2})\.\s*(" + "|".join(MONTHS_DE) + r")\s+(\d{4})" + _TIME, re.IGNORECASE
)
# What every stamp above contains (a day, a month as digits or a word, a year): one cheap scan of the
# body finds the few texts worth the two full patterns.
_STAMP_CANDIDATE = re.compile(r"\d{1,2}\.\s*(?:\d{1,2}\.|[^\W\d_]+\s+)\d{4}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TERMINAL = tuple(".!?:;\"“”»«)'’…")
MAX_ARTICLE_CHARS = 1_000_000  # spaCy's own limit per text; longer texts are not news articles
STAMP_WINDOW = 600  # a publication stamp without 'Stand:' must appear this close to the start


class ParseError(ValueError):
    """The file cannot become an article; the message says why and what to do."""


@dataclass(frozen=True)
class LineError:
    line: int
    reason: str


@dataclass(frozen=True)
class ParsedFile:
    """Outcome of parsing one file: articles, per-line errors (JSONL), or a whole-file error."""

    file: str
    articles: tuple[Article, ...] = ()
    line_errors: tuple[LineError, ...] = ()
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class HeaderDate:
    value: date
    precision: str  # 'month' | 'day'


@dataclass
class _Stamp:
    when: datetime
    precision: str = field(default="day")


def parse_file(file: str, data: bytes) -> ParsedFile:
    """Parse the bytes of `file` (its name relative to the inbox decides the format)."""
    suffix = _suffix(file)
    try:
        if suffix not in SUPPORTED_SUFFIXES:
            raise ParseError(
                f"unsupported file type '{suffix or '(none)'}': Lagebild reads .txt article files "
                "and .jsonl bulk files"
            )
        text = decode(data)
        if suffix in JSONL_SUFFIXES:
            return _parse_jsonl(file, text)
        return ParsedFile(file, articles=(parse_text_article(file, text),))
    except ParseError as exc:
        return ParsedFile(file, error=str(exc))


def _suffix(file: str) -> str:
    name = file.rsplit("/", 1)[-1]
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name.lstrip(".") else ""


def decode(data: bytes) -> str:
    """Decode with BOM detection, UTF-8, then cp1252/Latin-1; reject empty and binary data."""
    if not data.strip():
        raise ParseError("empty file: it has no text at all")
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ParseError(f"broken UTF-16 text: {exc.reason} at byte {exc.start}") from None
    elif b"\x00" in data:
        raise ParseError("binary file (contains NUL bytes): expected German article text")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace") if _cp1252_ok(data) else data.decode("latin-1")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _looks_binary(text):
        raise ParseError("binary file (mostly control characters): expected German article text")
    return _CONTROL.sub("", text)


def _cp1252_ok(data: bytes) -> bool:
    return not any(b in data for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D))


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = len(_CONTROL.findall(sample))
    return controls > max(8, len(sample) // 10)


def parse_text_article(file: str, text: str) -> Article:
    """Parse the seed format: ' date YYYY-MM[-DD] Title', then the body."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise ParseError("empty file: it has only whitespace")
    header = parse_header(lines[first])
    rest = lines[first + 1 :]
    match = _HEADER.match(lines[first])
    assert match is not None  # parse_header accepted the line
    title = match.group(2).strip()
    if not title:
        title_at = next((i for i, line in enumerate(rest) if line.strip()), None)
        if title_at is None:
            raise ParseError("header only: no title and no article text after the date header")
        title, rest = rest[title_at].strip(), rest[title_at + 1 :]
    paragraphs = join_paragraphs(rest)
    if not paragraphs:
        raise ParseError("no article text after the title: add the body below the header line")
    return build_article(file, title, paragraphs, header)


def parse_header(line: str) -> HeaderDate:
    """Read the date of the header line or raise a ParseError saying what is wrong."""
    m = _HEADER.match(line)
    if not m:
        shown = line.strip()[:60]
        raise ParseError(
            f"no date header: the first line must start with ' date YYYY-MM' (or YYYY-MM-DD), found '{shown}'"
        )
    return parse_date_value(m.group(1), "header")


def parse_date_value(value: str, where: str) -> HeaderDate:
    """'2022-01' or '2022-01-19' (or an ISO timestamp) -> HeaderDate."""
    core = value.strip()[:10] if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", value.strip()) else value.strip()
    m = _HEADER_VALUE.match(core)
    if not m:
        raise ParseError(f"malformed date in {where}: '{value[:40]}' (expected YYYY-MM or YYYY-MM-DD)")
    year, month = int(m.group(1)), int(m.group(2))
    day = int(m.group(3)) if m.group(3) else None
    latest = date.today().year + 1
    if not (MIN_YEAR <= year <= latest) or not 1 <= month <= 12:
        raise ParseError(f"impossible date in {where}: '{value}' (year {MIN_YEAR}–{latest}, month 01–12)")
    if day is None:
        return HeaderDate(date(year, month, 1), "month")
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise ParseError(f"impossible date in {where}: '{value}' (day {day} does not exist in that month)")
    return HeaderDate(date(year, month, day), "day")


def join_paragraphs(lines: list[str]) -> list[str]:
    """Paragraphs separated by blank lines; hard-wrapped lines and mid-sentence breaks re-joined."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines + [""]:
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    groups: list[list[str]] = []  # parts joined once at the end: linear even for 100k short paragraphs
    sizes: list[int] = []
    for para in paragraphs:
        if groups and _continues(groups[-1][-1], sizes[-1], para):
            groups[-1].append(para)
            sizes[-1] += 1 + len(para)
        else:
            groups.append([para])
            sizes.append(len(para))
    return [" ".join(group) for group in groups]


def _continues(last: str, length: int, para: str) -> bool:
    """A long paragraph (`length` chars, ending with `last`) cut off without punctuation before a
    lowercase word continues in `para`."""
    if last.endswith(_TERMINAL):
        return False
    if para[:1].islower():
        return True
    last_word = last.rsplit(" ", 1)[-1]
    return length >= 45 and last_word[:1].islower()


def build_article(
    file: str, title: str, paragraphs: list[str], header: HeaderDate, *, line: int | None = None,
    source: str | None = None, url: str | None = None,
) -> Article:
    """Assemble the stored body and refine the date from a publication stamp in the text."""
    title = " ".join(title.split())
    body = title + "\n\n" + "\n\n".join(paragraphs)
    if len(body) > MAX_ARTICLE_CHARS:
        raise ParseError(f"article too long: {len(body):,} characters, the limit is {MAX_ARTICLE_CHARS:,} "
                         "per article (split it into several articles)")
    stamp = find_stamp(body, header)
    published_date, precision, published_at = header.value, header.precision, None
    if stamp is not None:
        published_date, precision = stamp.when.date(), stamp.precision
        published_at = stamp.when if stamp.precision == "minute" else None
    return Article(
        article_id=article_id_for(body), title=title, body=body, published_date=published_date,
        date_precision=precision, published_at=published_at, source_file=file,
        source=source, url=url, line=line,
    )


def find_stamp(body: str, header: HeaderDate) -> _Stamp | None:
    """The first publication stamp consistent with the header (same month, or same day)."""
    if not _STAMP_CANDIDATE.search(body):
        return None
    for pattern, numeric in ((_NUMERIC_STAMP, True), (_WORD_STAMP, False)):
        for m in pattern.finditer(body):
            if not m.group(1) and m.start() > STAMP_WINDOW and not m.group(5):
                continue
            stamp = _stamp_from(m, numeric)
            if stamp and _consistent(stamp.when.date(), header):
                return stamp
    return None


def _stamp_from(m: re.Match[str], numeric: bool) -> _Stamp | None:
    day = int(m.group(2))
    month = int(m.group(3)) if numeric else MONTHS_DE[m.group(3).lower()]
    year = int(m.group(4))
    hour, minute = m.group(5), m.group(6)
    try:
        if hour is not None:
            return _Stamp(datetime(year, month, day, int(hour), int(minute)), "minute")
        return _Stamp(datetime(year, month, day), "day")
    except ValueError:
        return None


def _consistent(day: date, header: HeaderDate) -> bool:
    if header.precision == "day":
        return day == header.value
    return (day.year, day.month) == (header.value.year, header.value.month)


def _parse_jsonl(file: str, text: str) -> ParsedFile:
    articles: list[Article] = []
    errors: list[LineError] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        try:
            articles.append(parse_jsonl_line(file, number, raw))
        except ParseError as exc:
            errors.append(LineError(number, str(exc)))
    if not articles:
        detail = f"; first problem: line {errors[0].line}: {errors[0].reason}" if errors else ""
        return ParsedFile(file, line_errors=tuple(errors), error=f"no valid article line in JSONL file{detail}")
    return ParsedFile(file, articles=tuple(articles), line_errors=tuple(errors))


def parse_jsonl_line(file: str, number: int, raw: str) -> Article:
    """One JSON object with date, title, text and optional source, url."""
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ParseError(f"invalid JSON: {exc.msg} at column {exc.colno}") from None
    if not isinstance(obj, dict):
        raise ParseError("expected a JSON object with date, title and text")
    fields = {k: _CONTROL.sub("", v) if isinstance(v := obj.get(k), str) else None for k in ("date", "title", "text")}
    missing = [k for k, v in fields.items() if v is None or not v.strip()]
    if missing:
        raise ParseError(f"missing or empty field(s): {', '.join(missing)} (each must be a non-empty string)")
    header = parse_date_value(obj["date"], "field 'date'")
    paragraphs = join_paragraphs((fields["text"] or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    optional = {k: obj.get(k) if isinstance(obj.get(k), str) else None for k in ("source", "url")}
    return build_article(file, fields["title"] or "", paragraphs, header, line=number, **optional)
