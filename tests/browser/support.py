"""What the browser tests measure in a page: axe-core's verdict, focus, layout, targets, text size."""
from __future__ import annotations

from pathlib import Path

from tests.browser.reached import full_page_png

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

MIN_TARGET_PX = 44
MIN_TEXT_PX = 18


def load_axe(page) -> None:
    """axe-core into the page, through DevTools: the page's Content Security Policy stays on
    (an injected <script> would need it bypassed)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")


def axe_violations(page, tags=WCAG_21_AA, rules=None) -> list[dict]:
    """axe-core's violations in the page as it is now, reduced to what a reader needs."""
    load_axe(page)
    options = {"runOnly": {"type": "rule", "values": rules}} if rules else {"runOnly": {"type": "tag", "values": tags}}
    result = page.evaluate("options => axe.run(document, options)", options)
    return [
        {"rule": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [{"target": n["target"], "summary": n["failureSummary"]} for n in v["nodes"]]}
        for v in result["violations"]
    ]


def axe_passes(page, rule: str) -> int:
    """How many elements passed one rule (to show that a rule really looked at the page)."""
    load_axe(page)
    result = page.evaluate("rule => axe.run(document, {runOnly: {type: 'rule', values: [rule]}})", rule)
    return sum(len(p["nodes"]) for p in result["passes"])


FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow !== 'none' && style.boxShadow !== '';
  return {
    tag: el.tagName.toLowerCase(), id: el.id, type: el.type || '', href: el.getAttribute('href') || '',
    text: (el.innerText || el.value || '').trim().replace(/\\s+/g, ' ').slice(0, 60),
    visible_focus: outline || shadow, outline: style.outlineStyle + ' ' + style.outlineWidth,
    shadow: style.boxShadow,
    on_screen: rect.width > 0 && rect.height > 0 && rect.right > 0 && rect.left < window.innerWidth,
  };
}"""


def focused(page) -> dict | None:
    """The focused element, and whether its focus can be seen (outline or box-shadow, on screen)."""
    return page.evaluate(FOCUS)


# Every element the pointer can target. A link is exempt (WCAG 2.5.5, "inline") only when it
# is laid out inline inside a block holding other text: a link in a sentence. A link alone
# in its paragraph, a button, a field or a checkbox's label is not exempt.
TARGETS = """min => {
  const visible = el => {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && r.right > 0 && s.visibility !== 'hidden' && s.display !== 'none';
  };
  const words = el => (el.textContent || '').replace(/\\s+/g, ' ').trim();
  const inSentence = el => {
    if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display === 'inline') block = block.parentElement;
    return !!block && words(block).length > words(el).length;
  };
  const small = [];
  const candidates = document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, label');
  for (const el of candidates) {
    if (el.tagName === 'LABEL' && !(el.control && ['checkbox', 'radio'].includes(el.control.type))) continue;
    if (!visible(el) || inSentence(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width < min - 0.01 || r.height < min - 0.01) {
      small.push({tag: el.tagName.toLowerCase(), id: el.id, text: words(el).slice(0, 40),
                  width: Math.round(r.width * 10) / 10, height: Math.round(r.height * 10) / 10});
    }
  }
  return small;
}"""


def small_targets(page) -> list[dict]:
    return page.evaluate(TARGETS, MIN_TARGET_PX)


# Horizontal scrolling and anything sticking out of the viewport or clipped by its box.
# An element placed far off to the left on purpose (the skip link until focused) is ignored.
# A data table or a chart may scroll sideways inside its own box (WCAG 1.4.10 exempts
# two-dimensional tables and diagrams) when that box can be reached and scrolled with the
# keyboard and is named: a region with tabindex="0" and a label, itself within the screen.
LAYOUT = """() => {
  const width = window.innerWidth;
  const out = [];
  const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '');
  const tableScroller = el => el.matches('[role=region][tabindex="0"]') && el.querySelector('table, svg[role=img]') &&
    (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')) && getComputedStyle(el).overflowX === 'auto';
  const insideTableScroller = el => {
    for (let up = el.parentElement; up; up = up.parentElement) if (tableScroller(up)) return true;
    return false;
  };
  for (const el of document.body.querySelectorAll('*')) {
    const s = getComputedStyle(el);
    if (s.display === 'none' || s.visibility === 'hidden' || ['DATALIST', 'OPTION'].includes(el.tagName)) continue;
    if (insideTableScroller(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= 0) continue;
    if (r.right > width + 0.5 || r.left < -0.5) {
      out.push({element: describe(el), problem: 'outside the screen', left: r.left, right: r.right});
    } else if (s.overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1 && !tableScroller(el) &&
               !['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName)) {
      out.push({element: describe(el), problem: 'content cut', scroll: el.scrollWidth, client: el.clientWidth});
    }
  }
  return {scroll_width: document.documentElement.scrollWidth, inner_width: width, problems: out};
}"""


def layout(page) -> dict:
    return page.evaluate(LAYOUT)


# The size of every piece of visible text: the nearest element around each text node. Text in
# an SVG is drawn at its font size times the drawing's scale (its viewBox fitted to its box).
TEXT_SIZES = """min => {
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!node.textContent.trim() || seen.has(el)) continue;
    seen.add(el);
    if (['SCRIPT', 'STYLE', 'DATALIST', 'OPTION', 'TITLE'].includes(el.tagName)) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= 0) continue;
    let size = parseFloat(getComputedStyle(el).fontSize);
    if (el.ownerSVGElement && el.getScreenCTM()) {
      const m = el.getScreenCTM();
      size = size * Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
    }
    if (size < min - 0.01)
      small.push({tag: el.tagName.toLowerCase(), text: node.textContent.trim().slice(0, 40), size});
  }
  const fields = 'input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, textarea';
  for (const el of document.querySelectorAll(fields)) {
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < min - 0.01) small.push({tag: el.tagName.toLowerCase(), text: el.id, size});
  }
  return {body: parseFloat(getComputedStyle(document.body).fontSize), small};
}"""


def text_sizes(page) -> dict:
    return page.evaluate(TEXT_SIZES, MIN_TEXT_PX)


def screenshot(page, name: str) -> Path:
    path = SCREENSHOTS / f"{name}.png"
    path.write_bytes(full_page_png(page))
    return path


class KeyboardUser:
    """Someone using only the keyboard. After every key, focus must be on screen and visible."""

    def __init__(self, page, max_tabs: int = 80):
        self.page = page
        self.max_tabs = max_tabs
        self.keys: list[str] = []

    def press(self, key: str) -> dict:
        self.page.keyboard.press(key)
        self.keys.append(key)
        return self.focus_is_visible(f"after {' '.join(self.keys[-6:])}")

    def follow(self, key: str = "Enter") -> dict | None:
        """Press a key that loads another page (a link, a form's button)."""
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.keys.append(key)
        self.page.wait_for_load_state()
        return focused(self.page)

    def type(self, text: str) -> dict:
        self.page.keyboard.type(text)
        self.keys.append(repr(text))
        return self.focus_is_visible(f"after typing {text!r}")

    def tab_to(self, wanted, backwards: bool = False) -> dict:
        """Tab (or Shift+Tab) until ``wanted(focused element)`` holds; checks each step on the way."""
        key = "Shift+Tab" if backwards else "Tab"
        for _ in range(self.max_tabs):
            now = self.press(key)
            if wanted(now):
                return now
        raise AssertionError(f"not reached with {self.max_tabs} x {key}; keys: {self.keys}")

    def focus_is_visible(self, when: str) -> dict:
        now = focused(self.page)
        assert now is not None, f"focus lost {when}"
        assert now["visible_focus"], f"focus not visible {when}: {now}"
        assert now["on_screen"], f"focus off screen {when}: {now}"
        return now


def element_id(name: str):
    return lambda element: element["id"] == name


def link_to(href_start: str):
    return lambda element: element["tag"] == "a" and element["href"].startswith(href_start)


def button(text: str):
    return lambda element: element["tag"] == "button" and element["text"] == text
