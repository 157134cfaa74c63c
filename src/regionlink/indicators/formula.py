"""Formulas of derived indicators: a small, safe expression language (never ``eval``).

Grammar (precedence as in school arithmetic, operators left-associative)::

    expression := term (("+" | "-") term)*
    term       := unary (("*" | "/") unary)*
    unary      := ("-" | "+") unary | primary
    primary    := NUMBER | REFERENCE | "(" expression ")"
    REFERENCE  := CODE | CODE "[" DIM "=" MEMBER (";" DIM "=" MEMBER)* "]"

"×", "·" and "÷", the minus sign "−" and the en dash "–" are read as "*", "/" and "-", so a
formula copied from a Decree 94/2022 annex parses as written. Numbers use a decimal point.
``parse`` returns a :class:`Formula` whose tree is evaluated with a lookup function that gives
the value of each reference; errors are :class:`FormulaError` with a Vietnamese message and the
1-based position of the problem.
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from regionlink.indicators import disaggregation

MAX_LENGTH = 1000
MAX_DEPTH = 64

_OPERATORS = {
    "+": "+",
    "-": "-",
    "\u2212": "-",  # minus sign
    "\u2013": "-",  # en dash
    "*": "*",
    "\u00d7": "*",  # multiplication sign
    "\u00b7": "*",  # middle dot
    "/": "/",
    "\u00f7": "/",  # division sign
}
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?|\.[0-9]+")
_CODE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DISAGGREGATION_TEXT = re.compile(r"[A-Za-z0-9_=;,.\- ]*")
_SPACE = re.compile(r"\s+")


class FormulaError(ValueError):
    """A formula that cannot be read or evaluated; ``position`` is 1-based (0: whole text)."""

    def __init__(self, message: str, position: int = 0):
        super().__init__(message)
        self.message = str(message)
        self.position = position


# --- The tree ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Number:
    value: Decimal
    position: int


@dataclass(frozen=True)
class Reference:
    """An indicator, optionally one disaggregation of it: GRDP[SECTOR=AGR]."""

    code: str
    disaggregation: str
    position: int

    @property
    def key(self) -> tuple[str, str]:
        return (self.code, self.disaggregation)

    def __str__(self) -> str:
        return f"{self.code}[{self.disaggregation}]" if self.disaggregation else self.code


@dataclass(frozen=True)
class Negate:
    operand: Node
    position: int


@dataclass(frozen=True)
class BinaryOp:
    operator: str  # one of + - * /
    left: Node
    right: Node
    position: int


Node = Number | Reference | Negate | BinaryOp
Lookup = Callable[[Reference], Decimal | None]


@dataclass(frozen=True)
class Formula:
    text: str
    root: Node

    @property
    def references(self) -> list[Reference]:
        """Distinct references in order of first appearance."""
        return references(self.root)

    def evaluate(self, lookup: Lookup) -> Decimal | None:
        return evaluate(self.root, lookup)

    def __str__(self) -> str:
        return render(self.root)


# --- Reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: str  # number | ref | op | ( | ) | end
    text: str
    position: int  # 1-based
    value: object = None


def _bad_character(char: str, position: int) -> FormulaError:
    return FormulaError(
        _(
            "Ký tự “%(char)s” không hợp lệ ở vị trí %(position)s; công thức chỉ gồm số (dấu chấm "
            "thập phân), mã chỉ tiêu, các phép + − × ÷ và dấu ngoặc."
        )
        % {"char": char, "position": position},
        position,
    )


def _reference(text: str, start: int, code: str, after: int) -> tuple[_Token, int]:
    """A code, then an optional [DIM=MEMBER;…] right after it (spaces allowed before "[")."""
    i = after
    while i < len(text) and text[i].isspace():
        i += 1
    if i >= len(text) or text[i] != "[":
        return _Token("ref", code, start + 1, (code, "")), after
    close = text.find("]", i + 1)
    if close < 0:
        raise FormulaError(
            _("Dấu “[” ở vị trí %(position)s chưa được đóng bằng “]”.") % {"position": i + 1},
            i + 1,
        )
    inside = text[i + 1 : close]
    if not _DISAGGREGATION_TEXT.fullmatch(inside):
        bad = next((j for j, ch in enumerate(inside) if not _DISAGGREGATION_TEXT.fullmatch(ch)), 0)
        raise _bad_character(inside[bad], i + 2 + bad)
    try:
        key = disaggregation.normalise(inside)
    except disaggregation.DisaggregationError as exc:
        raise FormulaError(
            _("Phân tổ ở vị trí %(position)s không hợp lệ: %(problem)s")
            % {"position": i + 1, "problem": exc},
            i + 1,
        ) from None
    return _Token("ref", text[start : close + 1], start + 1, (code, key)), close + 1


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    while i < len(text):
        char = text[i]
        if space := _SPACE.match(text, i):
            i = space.end()
            continue
        if number := _NUMBER.match(text, i):
            tokens.append(_Token("number", number.group(), i + 1, Decimal(number.group())))
            i = number.end()
            continue
        if code := _CODE.match(text, i):
            token, i = _reference(text, i, code.group().upper(), code.end())
            tokens.append(token)
            continue
        if char in _OPERATORS:
            tokens.append(_Token("op", char, i + 1, _OPERATORS[char]))
        elif char in "()":
            tokens.append(_Token(char, char, i + 1))
        else:
            raise _bad_character(char, i + 1)
        i += 1
    tokens.append(_Token("end", "", len(text) + 1))
    return tokens


class _Parser:
    def __init__(self, tokens: list[_Token]):
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    @property
    def current(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def expression(self) -> Node:
        node = self.term()
        while self.current.kind == "op" and self.current.value in "+-":
            token = self.advance()
            node = BinaryOp(token.value, node, self.term(), token.position)
        return node

    def term(self) -> Node:
        node = self.unary()
        while self.current.kind == "op" and self.current.value in "*/":
            token = self.advance()
            node = BinaryOp(token.value, node, self.unary(), token.position)
        return node

    def _enter(self, token: _Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError(
                _("Công thức lồng quá sâu (quá %(limit)s mức) ở vị trí %(position)s.")
                % {"limit": MAX_DEPTH, "position": token.position},
                token.position,
            )

    def unary(self) -> Node:
        token = self.current
        if token.kind == "op" and token.value in "+-":
            self.advance()
            self._enter(token)
            operand = self.unary()
            self.depth -= 1
            return Negate(operand, token.position) if token.value == "-" else operand
        return self.primary()

    def primary(self) -> Node:
        token = self.advance()
        if token.kind == "number":
            return Number(token.value, token.position)
        if token.kind == "ref":
            code, key = token.value
            return Reference(code, key, token.position)
        if token.kind == "(":
            self._enter(token)
            node = self.expression()
            self.depth -= 1
            if self.current.kind != ")":
                if self.current.kind == "end":
                    raise FormulaError(
                        _("Dấu “(” ở vị trí %(position)s chưa được đóng.")
                        % {"position": token.position},
                        token.position,
                    )
                raise self.unexpected(self.current)
            self.advance()
            return node
        if token.kind == "end":
            raise FormulaError(
                _(
                    "Công thức kết thúc ở vị trí %(position)s khi còn thiếu một số, mã chỉ tiêu "
                    "hoặc “(”."
                )
                % {"position": token.position},
                token.position,
            )
        raise FormulaError(
            _("Cần một số, mã chỉ tiêu hoặc “(” ở vị trí %(position)s, nhưng gặp “%(token)s”.")
            % {"position": token.position, "token": token.text},
            token.position,
        )

    def unexpected(self, token: _Token) -> FormulaError:
        if token.kind == ")":
            return FormulaError(
                _("Dấu “)” ở vị trí %(position)s không có dấu “(” tương ứng.")
                % {"position": token.position},
                token.position,
            )
        return FormulaError(
            _(
                "“%(token)s” ở vị trí %(position)s không đúng chỗ: cần một phép tính "
                "(+ − × ÷) trước nó."
            )
            % {"token": token.text, "position": token.position},
            token.position,
        )


def parse(text: str | None) -> Formula:
    """Read ``text`` into a :class:`Formula`; raise FormulaError naming the position."""
    source = "" if text is None else str(text)
    if len(source) > MAX_LENGTH:
        raise FormulaError(
            _("Công thức dài quá %(limit)s ký tự.") % {"limit": MAX_LENGTH}, MAX_LENGTH + 1
        )
    if not source.strip():
        raise FormulaError(_("Công thức trống: nhập ví dụ GRDP[SECTOR=AGR] / GRDP * 100."))
    parser = _Parser(_tokens(source))
    root = parser.expression()
    if parser.current.kind != "end":
        raise parser.unexpected(parser.current)
    return Formula(source, root)


# --- Using ---------------------------------------------------------------------------------


def references(node: Node) -> list[Reference]:
    """Distinct references (by code and disaggregation) in order of first appearance."""
    found: dict[tuple[str, str], Reference] = {}
    stack = [node]
    ordered: list[Reference] = []
    while stack:
        item = stack.pop()
        if isinstance(item, Reference):
            if item.key not in found:
                found[item.key] = item
                ordered.append(item)
        elif isinstance(item, Negate):
            stack.append(item.operand)
        elif isinstance(item, BinaryOp):
            stack.extend((item.right, item.left))
    return ordered


def evaluate(node: Node, lookup: Lookup) -> Decimal | None:
    """The value of ``node``; None when a reference has no value; FormulaError on ÷ 0."""
    if isinstance(node, Number):
        return node.value
    if isinstance(node, Reference):
        value = lookup(node)
        return None if value is None else Decimal(value)
    if isinstance(node, Negate):
        operand = evaluate(node.operand, lookup)
        return None if operand is None else -operand
    left = evaluate(node.left, lookup)
    right = evaluate(node.right, lookup)
    if left is None or right is None:
        return None
    try:
        if node.operator == "+":
            return left + right
        if node.operator == "-":
            return left - right
        if node.operator == "*":
            return left * right
        return left / right
    except (decimal.DivisionByZero, decimal.InvalidOperation):
        raise FormulaError(
            _("Chia cho 0 ở vị trí %(position)s.") % {"position": node.position}, node.position
        ) from None
    except decimal.Overflow:
        raise FormulaError(
            _("Kết quả quá lớn ở vị trí %(position)s.") % {"position": node.position},
            node.position,
        ) from None


_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}


def render(node: Node, parent: int = 0, right_side: bool = False) -> str:
    """Canonical text of ``node`` with only the parentheses it needs."""
    if isinstance(node, Number):
        return str(node.value)
    if isinstance(node, Reference):
        return str(node)
    if isinstance(node, Negate):
        return "-" + render(node.operand, 3)
    level = _PRECEDENCE[node.operator]
    text = f"{render(node.left, level)} {node.operator} {render(node.right, level, True)}"
    if level < parent or (right_side and level == parent):
        return f"({text})"
    return text
