"""The English translation: complete, compiled, and actually used by the pages.

Dutch is the source language (the msgids); English comes from
src/omzien/locale/en/LC_MESSAGES/django.po. These tests fail when someone adds a user-facing
string without translating it: run `django-admin makemessages -l en --no-obsolete` in
src/omzien, translate the new entries, and run `compilemessages`.
"""

from __future__ import annotations

import ast
import gettext as gnu_gettext
import io
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.utils.translation.template import templatize

import pytest

from omzien.directory.models import Language, Schedule, Service
from tests.factories import ServiceFactory, tag

PACKAGE_DIR = Path(__file__).resolve().parent.parent / "src" / "omzien"
LOCALE_DIR = PACKAGE_DIR / "locale" / "en" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"


# --- reading the .po file (no third-party parser needed) ---------------------------------------


@dataclass
class Entry:
    line: int
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def translated(self) -> bool:
        if self.msgid_plural is not None:
            return len(self.msgstr_plural) >= 2 and all(self.msgstr_plural.values())
        return bool(self.msgstr)


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


def read_po(path: Path) -> list[Entry]:
    """Parse a gettext .po file into entries (the header, msgid "", is left out)."""
    entries: list[Entry] = []
    entry = Entry(line=1)
    current: tuple[str, int | None] | None = None

    def finish() -> None:
        nonlocal entry, current
        if current is not None:
            entries.append(entry)
        entry = Entry(line=number + 1)
        current = None

    number = 0
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            entry.obsolete = True
            continue
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, literal = match.groups()
            value = ast.literal_eval(literal)
            if keyword == "msgctxt":
                entry.msgctxt, current = value, ("msgctxt", None)
            elif keyword == "msgid":
                entry.msgid, current = value, ("msgid", None)
            elif keyword == "msgid_plural":
                entry.msgid_plural, current = value, ("msgid_plural", None)
            elif index is not None:
                entry.msgstr_plural[int(index)] = value
                current = ("msgstr_plural", int(index))
            else:
                entry.msgstr, current = value, ("msgstr", None)
            continue
        assert line.startswith('"') and current is not None, f"{path}:{number}: {raw!r}"
        value = ast.literal_eval(line)
        name, index = current
        if name == "msgstr_plural":
            assert index is not None
            entry.msgstr_plural[index] += value
        else:
            setattr(entry, name, (getattr(entry, name) or "") + value)
    finish()
    return [e for e in entries if e.msgid and not e.obsolete]


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    return read_po(PO_FILE)


def test_the_po_file_has_no_untranslated_or_fuzzy_entries(po_entries: list[Entry]) -> None:
    assert len(po_entries) > 1000  # the parser really read the file
    untranslated = [f"line {e.line}: {e.msgid[:70]!r}" for e in po_entries if not e.translated]
    fuzzy = [f"line {e.line}: {e.msgid[:70]!r}" for e in po_entries if "fuzzy" in e.flags]
    assert not untranslated, "Untranslated in django.po:\n" + "\n".join(untranslated)
    assert not fuzzy, "Fuzzy (check and remove the flag) in django.po:\n" + "\n".join(fuzzy)


_PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sdif]|%[sdif]")


def test_translations_keep_every_placeholder(po_entries: list[Entry]) -> None:
    wrong = []
    for e in po_entries:
        if e.msgid_plural is None:
            pairs = [(e.msgid, e.msgstr)]
        else:
            pairs = [(e.msgid_plural, e.msgstr_plural.get(1, ""))]
        for source, target in pairs:
            if sorted(_PLACEHOLDER.findall(source)) != sorted(_PLACEHOLDER.findall(target)):
                wrong.append(f"line {e.line}: {source[:60]!r} -> {target[:60]!r}")
    assert not wrong, "Placeholders differ:\n" + "\n".join(wrong)


def test_the_compiled_mo_file_matches_the_po_file(po_entries: list[Entry]) -> None:
    """django.mo is what Django reads: it must be compiled from the current django.po."""
    with MO_FILE.open("rb") as handle:
        catalog = gnu_gettext.GNUTranslations(handle)
    stale = []
    for e in po_entries:
        msgid = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural is None:
            compiled = (
                catalog.gettext(msgid)
                if e.msgctxt is None
                else catalog.pgettext(e.msgctxt, e.msgid)
            )
            expected = e.msgstr
        else:
            compiled = catalog.ngettext(e.msgid, e.msgid_plural, 2)
            if e.msgctxt is not None:
                compiled = catalog.npgettext(e.msgctxt, e.msgid, e.msgid_plural, 2)
            expected = e.msgstr_plural.get(1, "")
        if compiled != expected:
            stale.append(f"line {e.line}: {msgid[:70]!r}")
    assert not stale, "django.mo is out of date; run compilemessages:\n" + "\n".join(stale)


# --- every marked string in the source is in the .po file -------------------------------------

# The keywords makemessages (xgettext) looks for, with the positions of (context, singular, plural).
_PY_KEYWORDS: dict[str, tuple[int | None, int, int | None]] = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}


def _call_name(node: ast.Call) -> str:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return ""


def _literal(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def python_msgids(path: Path) -> set[tuple[str | None, str]]:
    found: set[tuple[str | None, str]] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or _call_name(node) not in _PY_KEYWORDS:
            continue
        context_at, singular_at, _plural_at = _PY_KEYWORDS[_call_name(node)]
        if len(node.args) <= singular_at:
            continue
        msgid = _literal(node.args[singular_at])
        context = _literal(node.args[context_at]) if context_at is not None else None
        if msgid and (context_at is None or context is not None):
            found.add((context, msgid))
    return found


_TEMPLATE_CALL = re.compile(r"\b(n?p?gettext)\(")


def template_msgids(path: Path) -> set[tuple[str | None, str]]:
    """What makemessages extracts from a template: Django's own templatize, then the calls."""
    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    found: set[tuple[str | None, str]] = set()
    for match in _TEMPLATE_CALL.finditer(code):
        strings: list[str] = []
        tokens = tokenize.generate_tokens(io.StringIO(code[match.end() :]).readline)
        for token in tokens:
            if token.type == tokenize.STRING:
                strings.append(ast.literal_eval(token.string))
            elif token.type == tokenize.OP and token.string == ")":
                break
        if match.group(1).startswith(("pgettext", "npgettext")):
            found.add((strings[0], strings[1]))
        elif strings:
            found.add((None, strings[0]))
    return found


def _source_files() -> list[Path]:
    files = []
    for path in sorted(PACKAGE_DIR.rglob("*")):
        parts = set(path.relative_to(PACKAGE_DIR).parts)
        if parts & {"static", "locale", "__pycache__"} or not path.is_file():
            continue
        if path.suffix in {".py", ".html", ".txt"}:
            files.append(path)
    return files


def test_every_marked_string_in_the_source_is_in_the_po_file(po_entries: list[Entry]) -> None:
    known = {e.key for e in po_entries}
    missing = []
    for path in _source_files():
        if path.suffix == ".py":
            msgids = python_msgids(path)
        elif "templates" in path.parts:
            msgids = template_msgids(path)
        else:
            continue
        for context, msgid in sorted(msgids, key=lambda item: item[1]):
            if (context, msgid) not in known:
                missing.append(f"{path.relative_to(PACKAGE_DIR)}: {msgid[:70]!r}")
    assert not missing, (
        "Not in django.po; run makemessages -l en in src/omzien and translate:\n"
        + "\n".join(missing)
    )


def test_the_source_scanner_finds_known_strings() -> None:
    """Guards the test above: it must really see the strings of templates and Python code."""
    report = template_msgids(PACKAGE_DIR / "templates" / "directory" / "_results.html")
    assert (None, "Alle filters wissen") in report
    assert (None, "%(counter)s resultaat") in report
    assert (None, "Binnen %(km)s km") in report
    selectors = python_msgids(PACKAGE_DIR / "directory" / "selectors.py")
    assert (None, "Dag van de week") in selectors
    vocabularies = python_msgids(PACKAGE_DIR / "directory" / "vocabularies.py")
    assert (None, "Praktische steun") in vocabularies


# --- the pages in English ---------------------------------------------------------------------


@pytest.fixture
def coffee(db: None) -> Service:
    service = ServiceFactory(
        name="Koffieochtend Brandevoort",
        slug="koffieochtend-brandevoort",
        description="Elke maandag koffie drinken met buren.",
    )
    assert isinstance(service, Service)
    tag(service, "support_kind", "meeting")
    tag(service, "target_group", "older_adults")
    tag(service, "cost_category", "free")
    Schedule.objects.create(service=service, byday="MO")
    Language.objects.create(service=service, code="nl", name="Nederlands")
    from omzien.directory.search import get_backend

    get_backend().rebuild()
    return service


def english_client() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def assert_english(content: str, english: list[str], dutch: list[str]) -> None:
    assert '<html lang="en"' in content
    for text in english:
        assert text in content, f"missing English: {text!r}"
    for text in dutch:
        assert text not in content, f"Dutch left on the English page: {text!r}"


# (path, English that must show, Dutch that must be gone); the Dutch page shows the reverse.
PAGES = {
    "home": (
        "/",
        ["Looking out for each other, together", "Find help and activities", "Staff login"],
        ["Samen omzien naar elkaar", "Hulp en activiteiten zoeken", "Inloggen voor medewerkers"],
    ),
    "search": (
        "/kaart/",
        [
            "1 result",
            "What are you looking for?",
            "Kind of support",  # vocabulary name, via the facet
            "Meeting people",  # vocabulary term, via the facet
            "Day of the week",
            'Monday <span class="omzien-count">',
            "Add to my list",
            "I feel lonely",
        ],
        [
            "1 resultaat",
            "Wat zoekt u?",
            "Soort steun",
            "Ontmoeting",
            "Dag van de week",
            'maandag <span class="omzien-count">',  # the day facet
            "Op mijn lijst",
            "Ik voel me eenzaam",
        ],
    ),
    "service": (
        "/kaart/koffieochtend-brandevoort/",
        ["Who for", "Kind of support", "Meeting people", "Is something wrong? Report it"],
        ["Voor wie", "Soort steun", "Ontmoeting", "Klopt er iets niet? Meld het"],
    ),
    "report": (
        "/melden/",
        ["Are you worried about someone?", "Send report", "Who are you?", "What did you notice?"],
        ["Maakt u zich zorgen om iemand?", "Melding versturen", "Wie bent u?"],
    ),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_pages_are_in_english_with_the_language_cookie(name: str, coffee: Service) -> None:
    path, english, dutch = PAGES[name]
    assert_english(page(english_client(), path), english, dutch)


@pytest.mark.parametrize("name", list(PAGES))
def test_pages_stay_dutch_by_default(name: str, coffee: Service) -> None:
    path, english, dutch = PAGES[name]
    content = page(Client(), path)
    assert '<html lang="nl"' in content
    for text in dutch:
        assert text in content, f"missing Dutch: {text!r}"
    for text in english:
        if not any(text in source for source in dutch):  # "1 result" is part of "1 resultaat"
            assert text not in content, f"English on the Dutch page: {text!r}"


def test_the_browser_language_selects_english(coffee: Service) -> None:
    content = Client().get("/kaart/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert_english(content, ["1 result", "Kind of support"], ["1 resultaat", "Soort steun"])


def test_the_language_switch_makes_the_site_english(coffee: Service) -> None:
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/kaart/"})
    assert response.status_code == 302 and response["Location"] == "/kaart/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert_english(page(client, "/kaart/"), ["1 result"], ["1 resultaat"])
    client.post("/i18n/setlang/", {"language": "nl", "next": "/kaart/"})
    assert "1 resultaat" in page(client, "/kaart/")


def test_a_renamed_term_is_shown_as_the_administrator_wrote_it(coffee: Service) -> None:
    """Only the seeded Dutch names are translated; a name an administrator chose stays as is."""
    from omzien.directory.models import TaxonomyTerm
    from omzien.directory.vocabularies import term_id

    TaxonomyTerm.objects.filter(id=term_id("support_kind", "meeting")).update(name="Samenzijn")
    content = page(english_client(), "/kaart/koffieochtend-brandevoort/")
    assert "Samenzijn" in content
    assert "Meeting people" not in content
