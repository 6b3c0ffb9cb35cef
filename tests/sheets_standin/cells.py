"""Cell values: how input is stored (RAW / USER_ENTERED) and rendered back.

A stored value is a str, an int/float, a bool or a Formula; empty cells are absent.
"""

import ast
import operator
import re
from dataclasses import dataclass

UNSUPPORTED_FORMULA = "#STANDIN!"
_NUMBER = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*")
_OPERATORS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}


@dataclass(frozen=True)
class Formula:
    text: str


def parse_input(value, input_option: str):
    """Turn a JSON value from a request into what the grid stores (None = empty)."""
    if value is None or value == "":
        return None
    if isinstance(value, (bool, int, float)):
        return _number(value) if not isinstance(value, bool) else value
    value = str(value)
    if input_option != "USER_ENTERED":
        return value
    return _parse_user_entered(value)


def _parse_user_entered(text: str):
    # Like typing into the Sheets UI: "0042" becomes 42, "=..." a formula.
    if text.startswith("="):
        return Formula(text)
    if text.startswith("'"):
        return text[1:] or None
    if _NUMBER.fullmatch(text):
        return _number(float(text))
    if text.upper() in ("TRUE", "FALSE"):
        return text.upper() == "TRUE"
    return text


def _number(value: int | float) -> int | float:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def render(value, render_option: str = "FORMATTED_VALUE"):
    """Render a stored value for a response (``valueRenderOption``)."""
    if isinstance(value, Formula):
        if render_option == "FORMULA":
            return value.text
        value = evaluate(value)
    if render_option != "FORMATTED_VALUE":
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return format_number(value)
    return value


def format_number(value: int | float) -> str:
    return f"{value:.15g}".replace("e", "E")


def evaluate(formula: Formula):
    """Only arithmetic on literals (``=1+1``) is evaluated; other formulas are flagged."""
    try:
        tree = ast.parse(formula.text[1:], mode="eval")
        return _number(_eval_node(tree.body))
    except (SyntaxError, ValueError, ZeroDivisionError, TypeError):
        return UNSUPPORTED_FORMULA


def _eval_node(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_eval_node(node.left), _eval_node(node.right))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_eval_node(node.operand))
    raise ValueError("unsupported formula")
