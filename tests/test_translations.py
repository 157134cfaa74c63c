"""The English catalogue: complete, compiled, consistent with the sources, and used by pages.

Vietnamese is the source language, so every msgid is Vietnamese and locale/en holds the only
catalogue. Stdlib only: the .po file is parsed here, the .mo is read by gettext itself.
A forgotten `make messages` (new string not extracted, entry left empty or fuzzy, .mo not
recompiled) fails one of these tests.
"""

from __future__ import annotations

import ast
import gettext as gettext_module
import html
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

import regionlink

PACKAGE_DIR = Path(regionlink.__file__).resolve().parent
CATALOGUE_DIR = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO_PATH = CATALOGUE_DIR / "django.po"
MO_PATH = CATALOGUE_DIR / "django.mo"

# ---------------------------------------------------------------------------------------------
# A small .po parser (polib is not a dependency).
# ---------------------------------------------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b"}
_ESCAPE_RE = re.compile(r"\\(.)")
_KEYWORD_RE = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")\s*$")


def _unquote(token: str, where: str) -> str:
    if len(token) < 2 or not (token.startswith('"') and token.endswith('"')):
        raise ValueError(f"{where}: not a quoted PO string: {token!r}")

    def replace(match: re.Match) -> str:
        char = match.group(1)
        if char not in _ESCAPES:
            raise ValueError(f"{where}: unsupported escape \\{char}")
        return _ESCAPES[char]

    return _ESCAPE_RE.sub(replace, token[1:-1])


@dataclass
class Entry:
    line: int
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> str:
        """The key gettext uses in a compiled catalogue (context, EOT, msgid)."""
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"

    @property
    def label(self) -> str:
        return f"django.po:{self.line} {self.msgid!r}"


def parse_po(text: str) -> list[Entry]:
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None  # which field continuation lines extend

    def finish() -> None:
        nonlocal entry, target
        if entry is not None and (entry.msgid or entry.msgstr or entry.obsolete):
            entries.append(entry)
        entry, target = None, None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if entry is None:
            entry = Entry(line=number)
        if line.startswith("#~"):
            entry.obsolete = True
            continue
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith("#"):
            continue
        where = f"django.po:{number}"
        if line.startswith('"'):
            if target is None:
                raise ValueError(f"{where}: continuation line outside an entry")
            name, index = target
            value = _unquote(line, where)
            if name == "msgstr":
                entry.msgstr[index] += value
            else:
                setattr(entry, name, getattr(entry, name) + value)
            continue
        match = _KEYWORD_RE.match(line)
        if match is None:
            raise ValueError(f"{where}: cannot parse {raw!r}")
        keyword, index, token = match.groups()
        value = _unquote(token, where)
        if keyword == "msgstr":
            target = ("msgstr", int(index or 0))
            entry.msgstr[target[1]] = value
        else:
            if keyword == "msgid" and entry.msgid:  # a new entry without a blank line
                finish()
                entry = Entry(line=number)
            target = (keyword, 0)
            setattr(entry, keyword, value)
    finish()
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    assert PO_PATH.is_file(), f"{PO_PATH} is missing: run `make messages`"
    return parse_po(PO_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def header(po_entries) -> Entry:
    first = po_entries[0]
    assert first.msgid == "" and first.msgctxt is None, "the catalogue must start with its header"
    return first


@pytest.fixture(scope="module")
def messages(po_entries) -> list[Entry]:
    return [entry for entry in po_entries[1:] if not entry.obsolete]


# ---------------------------------------------------------------------------------------------
# (a) The catalogue is complete, compiled and consistent.
# ---------------------------------------------------------------------------------------------


def test_the_header_declares_english_utf8_and_two_plural_forms(header):
    # A fuzzy header is dropped by msgfmt, and with it the plural rule and the charset.
    assert "fuzzy" not in header.flags
    meta = header.msgstr[0]
    assert "Language: en\n" in meta
    assert "Content-Type: text/plain; charset=UTF-8\n" in meta
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in meta


def test_every_entry_is_translated_and_none_is_fuzzy_or_obsolete(po_entries, messages):
    assert len(messages) > 400, "the catalogue looks truncated"
    assert not [e.label for e in po_entries if e.obsolete], "run `make messages` (--no-obsolete)"
    fuzzy = [e.label for e in messages if "fuzzy" in e.flags]
    assert not fuzzy, f"check these translations and remove their fuzzy flag: {fuzzy}"
    empty = []
    for entry in messages:
        expected_forms = 2 if entry.msgid_plural is not None else 1
        forms = [entry.msgstr.get(index, "") for index in range(expected_forms)]
        if len(entry.msgstr) != expected_forms or not all(form.strip() for form in forms):
            empty.append(entry.label)
    assert not empty, f"untranslated entries: {empty}"


def _expected_compiled_catalogue(header: Entry, messages: list[Entry]) -> dict:
    # msgfmt leaves POT-Creation-Date out of the compiled header (reproducible builds).
    meta = re.sub(r"^POT-Creation-Date: .*\n", "", header.msgstr[0], flags=re.M)
    expected: dict = {"": meta}
    for entry in messages:
        if entry.msgid_plural is None:
            expected[entry.key] = entry.msgstr[0]
        else:
            for index, text in entry.msgstr.items():
                expected[(entry.key, index)] = text
    return expected


def test_the_compiled_mo_holds_exactly_the_po_translations(header, messages):
    assert MO_PATH.is_file(), f"{MO_PATH} is missing: run `make messages`"
    with MO_PATH.open("rb") as handle:
        compiled = gettext_module.GNUTranslations(handle)
    # _catalog is the parsed .mo (msgid or (msgid, plural index) -> translation), stable since
    # Python 2; comparing it whole catches a stale .mo in both directions.
    actual = dict(compiled._catalog)
    expected = _expected_compiled_catalogue(header, messages)
    missing = sorted(str(key) for key in expected.keys() - actual.keys())
    extra = sorted(str(key) for key in actual.keys() - expected.keys())
    changed = sorted(
        str(key) for key in expected.keys() & actual.keys() if expected[key] != actual[key]
    )
    assert not (missing or extra or changed), (
        "django.mo is out of date: run `make messages` "
        f"(missing {missing[:5]}, extra {extra[:5]}, changed {changed[:5]})"
    )


_PLACEHOLDER_RE = re.compile(
    r"%%"  # a literal percent sign, not a placeholder
    r"|%\((?P<named>\w+)\)[#0+-]*\d*(?:\.\d+)?[sdiouxXeEfFgGcr]"
    r"|%(?P<positional>[#0+-]*\d*(?:\.\d+)?[sdiouxXeEfFgGcr])"
    r"|\{(?P<brace>\w*)\}"
)
_TAG_RE = re.compile(r"</?[a-zA-Z][^>]*>")
_ENTITY_RE = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|\w+);")


def _placeholders(text: str) -> tuple[list[str], list[str], list[str]]:
    named, positional, brace = [], [], []
    for match in _PLACEHOLDER_RE.finditer(text):
        if match.group("named") is not None:
            named.append(match.group("named"))
        elif match.group("positional") is not None:
            positional.append(match.group("positional"))
        elif match.group("brace") is not None:
            brace.append(match.group("brace"))
    # Named placeholders may move and repeat; positional ones must keep their order.
    return sorted(set(named)), positional, sorted(set(brace))


def _edges(text: str) -> tuple[str, str]:
    return text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]


def _pairs(messages: list[Entry]):
    for entry in messages:
        if entry.msgid_plural is None:
            yield entry, entry.msgid, entry.msgstr.get(0, "")
        else:
            yield entry, entry.msgid, entry.msgstr.get(0, "")
            for index in range(1, len(entry.msgstr)):
                yield entry, entry.msgid_plural, entry.msgstr[index]


def test_translations_keep_the_placeholders_of_their_msgid(messages):
    wrong = [
        f"{entry.label}: {_placeholders(source)} → {_placeholders(text)}"
        for entry, source, text in _pairs(messages)
        if _placeholders(source) != _placeholders(text)
    ]
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_translations_keep_markup_and_surrounding_whitespace(messages):
    wrong = []
    for entry, source, text in _pairs(messages):
        if sorted(_TAG_RE.findall(source)) != sorted(_TAG_RE.findall(text)):
            wrong.append(f"{entry.label}: HTML tags differ")
        if sorted(_ENTITY_RE.findall(source)) != sorted(_ENTITY_RE.findall(text)):
            wrong.append(f"{entry.label}: HTML entities differ")
        if _edges(source) != _edges(text) or source.count("\n") != text.count("\n"):
            wrong.append(f"{entry.label}: leading/trailing whitespace or newlines differ")
    assert not wrong, "\n".join(wrong)


# ---------------------------------------------------------------------------------------------
# (b) English is what English readers get.
# ---------------------------------------------------------------------------------------------

VIETNAMESE_LETTERS = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]",
    re.IGNORECASE,
)


def test_key_strings_are_english_under_english_and_vietnamese_otherwise():
    from django.utils.translation import gettext, ngettext

    from regionlink.geography.models import UnitType
    from regionlink.organisations.models import Role

    with translation.override("en"):
        assert gettext("Nền tảng Liên kết vùng") == "Regional Linkage Platform"
        assert gettext("Dữ liệu minh họa") == "Illustrative data"
        assert gettext("Hội đồng điều phối vùng") == "Regional Coordination Council"
        assert str(UnitType.THANH_PHO_TW.label) == "Centrally-governed city"
        assert str(Role.ORG_ADMIN.label) == "Organisation admin"
        assert ngettext("%(counter)s tỉnh", "%(counter)s tỉnh", 1) % {"counter": 1} == (
            "1 province"
        )
        assert ngettext("%(counter)s tỉnh", "%(counter)s tỉnh", 6) % {"counter": 6} == (
            "6 provinces"
        )
    with translation.override("vi"):
        assert gettext("Nền tảng Liên kết vùng") == "Nền tảng Liên kết vùng"
        assert str(Role.ORG_ADMIN.label) == "Quản trị cơ quan"


def _header_text(page: str) -> str:
    match = re.search(r'<header class="rl-header">(.*?)</header>', page, re.S)
    assert match, "the page has no navigation header"
    block = match.group(1)
    # Not leftovers: the Vietnamese language button names itself, and the search placeholder
    # gives place names as a person would type them.
    block = re.sub(r'<button[^>]*lang="vi"[^>]*>.*?</button>', "", block, flags=re.S)
    block = re.sub(r'placeholder="[^"]*"', "", block)
    return unicodedata.normalize("NFC", html.unescape(block))


@pytest.mark.django_db
def test_the_home_page_navigation_is_english_for_the_english_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en">' in page

    header = _header_text(page)
    for label in ("Map", "Regions", "Provinces and cities", "Organisations", "API"):
        assert re.search(rf'class="nav-link[^"]*"[^>]*>{re.escape(label)}</a>', header), label
    for text in (
        "Regional Linkage Platform",
        "Regional Linkage",
        'aria-label="Main navigation"',
        'aria-label="Open or close the menu"',
        "Find a place",
        ">Search</button>",
        ">Sign in</a>",
        "Language",
    ):
        assert text in header, text
    leftovers = sorted(set(VIETNAMESE_LETTERS.findall(header)))
    assert not leftovers, f"Vietnamese left in the English navigation: {leftovers}"
    assert "<title>Viet Nam regional linkage map" in page


# ---------------------------------------------------------------------------------------------
# (c) Every msgid written in the sources is in the catalogue.
# ---------------------------------------------------------------------------------------------

# Names xgettext extracts as makemessages runs it (its Python defaults plus Django's keywords),
# with the argument positions of (context, singular, plural).
TRANSLATION_FUNCTIONS = {
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
SINGULAR_FUNCTIONS = {"gettext", "gettext_lazy", "gettext_noop"}
EXTRACTED_NAMES = {"_", *TRANSLATION_FUNCTIONS}


def _source_files(*suffixes: str) -> list[Path]:
    vendor = PACKAGE_DIR / "web" / "static" / "vendor"
    return sorted(
        path
        for suffix in suffixes
        for path in PACKAGE_DIR.rglob(f"*{suffix}")
        if vendor not in path.parents and "__pycache__" not in path.parts
    )


def _relative(path: Path) -> str:
    return str(path.relative_to(PACKAGE_DIR))


@dataclass(frozen=True)
class Call:
    where: str
    function: str  # canonical name, e.g. gettext_lazy
    local_name: str  # the name written in the source, e.g. _
    args: tuple[ast.expr, ...]


def _translation_calls(path: Path) -> list[Call]:
    """Calls to django.utils.translation functions, however the module imported them."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    functions: dict[str, str] = {}  # local name -> canonical function
    modules: set[str] = set()  # local names bound to django.utils.translation
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                if alias.name in TRANSLATION_FUNCTIONS:
                    functions[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module == "django.utils":
            modules |= {a.asname or a.name for a in node.names if a.name == "translation"}
        elif isinstance(node, ast.Import):
            modules |= {
                a.asname for a in node.names if a.name == "django.utils.translation" and a.asname
            }
    calls = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in functions:
            local, canonical = func.id, functions[func.id]
        elif (
            isinstance(func, ast.Attribute)
            and func.attr in TRANSLATION_FUNCTIONS
            and isinstance(func.value, ast.Name)
            and func.value.id in modules
        ):
            local, canonical = func.attr, func.attr
        else:
            continue
        where = f"{_relative(path)}:{node.lineno}"
        calls.append(Call(where, canonical, local, tuple(node.args)))
    return calls


def _python_calls() -> list[Call]:
    return [call for path in _source_files(".py") for call in _translation_calls(path)]


def _literal(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value  # implicit concatenation over several lines is already joined
    return None


def _python_msgids() -> list[tuple[str, str | None, str, str | None]]:
    """(where, context, msgid, plural) of every extractable Python msgid."""
    found = []
    for call in _python_calls():
        if call.local_name not in EXTRACTED_NAMES:
            continue  # an alias xgettext cannot see: reported by its own test below
        context_at, singular_at, plural_at = TRANSLATION_FUNCTIONS[call.function]

        def argument(position, args=call.args):
            return args[position] if position is not None and position < len(args) else None

        msgid = _literal(argument(singular_at))
        if msgid is None:
            continue  # not a literal: reported by test_python_msgids_are_plain_string_literals
        context = _literal(argument(context_at)) if context_at is not None else None
        plural = _literal(argument(plural_at)) if plural_at is not None else None
        found.append((call.where, context, msgid, plural))
    return found


_TRANSLATE_TAG_RE = re.compile(
    r"""\{%\s*trans(?:late)?\s+(?P<q>["'])(?P<msgid>.*?)(?P=q)(?P<rest>[^%]*)%\}"""
)
_BLOCK_RE = re.compile(
    r"\{%\s*blocktrans(?:late)?(?P<options>(?:[^%]|%(?!\}))*)%\}"
    r"(?P<body>.*?)\{%\s*endblocktrans(?:late)?\s*%\}",
    re.S,
)
_CONTEXT_RE = re.compile(r"""\bcontext\s+(?P<q>["'])(?P<context>.*?)(?P=q)""")
_PLURAL_RE = re.compile(r"\{%\s*plural\s*%\}")
_VARIABLE_RE = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def _block_msgid(body: str, trimmed: bool) -> str | None:
    """The msgid makemessages builds from a blocktranslate body, or None if not simple."""
    if "{%" in body:
        return None  # other tags inside the block: not a plain message
    text = body.replace("%", "%%")
    text = _VARIABLE_RE.sub(lambda match: f"%({match.group(1)})s", text)
    if "{{" in text:
        return None  # a filtered variable: not allowed inside blocktranslate anyway
    return translation.trim_whitespace(text) if trimmed else text


def _template_msgids() -> list[tuple[str, str | None, str, str | None]]:
    found = []
    for path in _source_files(".html", ".txt"):
        source = path.read_text(encoding="utf-8")
        for match in _TRANSLATE_TAG_RE.finditer(source):
            context = _CONTEXT_RE.search(match.group("rest"))
            line = source.count("\n", 0, match.start()) + 1
            found.append(
                (
                    f"{_relative(path)}:{line}",
                    context.group("context") if context else None,
                    match.group("msgid"),
                    None,
                )
            )
        for match in _BLOCK_RE.finditer(source):
            options = match.group("options")
            trimmed = re.search(r"\btrimmed\b", options) is not None
            context = _CONTEXT_RE.search(options)
            parts = _PLURAL_RE.split(match.group("body"))
            if len(parts) > 2:
                continue
            msgids = [_block_msgid(part, trimmed) for part in parts]
            if None in msgids:
                continue
            line = source.count("\n", 0, match.start()) + 1
            found.append(
                (
                    f"{_relative(path)}:{line}",
                    context.group("context") if context else None,
                    msgids[0],
                    msgids[1] if len(msgids) == 2 else None,
                )
            )
    return found


def test_every_msgid_in_the_sources_is_in_the_catalogue(messages):
    catalogue = {(entry.msgctxt, entry.msgid): entry.msgid_plural for entry in messages}
    python, templates = _python_msgids(), _template_msgids()
    # Guard against a scanner that silently finds nothing.
    assert len(python) > 150 and len(templates) > 250, (len(python), len(templates))

    missing = []
    for where, context, msgid, plural in python + templates:
        if (context, msgid) not in catalogue:
            missing.append(f"{where}: {msgid!r}")
        elif plural is not None and catalogue[(context, msgid)] != plural:
            missing.append(f"{where}: plural {plural!r}")
    assert not missing, (
        "not in locale/en/LC_MESSAGES/django.po — run `make messages` and translate:\n"
        + "\n".join(missing)
    )


def test_python_msgids_are_plain_string_literals():
    """An f-string, concatenation or .format() inside gettext() can never be translated."""
    wrong = []
    for call in _python_calls():
        context_at, singular_at, plural_at = TRANSLATION_FUNCTIONS[call.function]
        for position in (context_at, singular_at, plural_at):
            if position is None or position >= len(call.args):
                continue
            argument = call.args[position]
            if isinstance(argument, ast.JoinedStr | ast.BinOp | ast.Call):
                wrong.append(f"{call.where}: {ast.unparse(argument)[:80]}")
    assert not wrong, "format after translating, not before:\n" + "\n".join(wrong)


def test_translation_functions_keep_names_makemessages_extracts():
    wrong = []
    for call in _python_calls():
        # Any one-argument function may be written _(); the others only under their own name.
        allowed = {"_", *SINGULAR_FUNCTIONS} if call.function in SINGULAR_FUNCTIONS else set()
        allowed.add(call.function)
        if call.local_name not in allowed:
            wrong.append(f"{call.where}: {call.function} called as {call.local_name}()")
    assert not wrong, "makemessages cannot see these calls:\n" + "\n".join(sorted(set(wrong)))
