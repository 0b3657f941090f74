"""A small reader of the decision's HTML (stdlib only): the document as a flat list of blocks in order,
each either a paragraph outside any table or a table (rows → cells → paragraphs). A paragraph keeps its
text with whitespace collapsed and whether it is wholly bold / italic, which the annex uses to tell
headings (bold) from notes (italic) from options (plain, "□ …")."""

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_SPACE = re.compile(r"\s+")


@dataclass
class Para:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Cell:
    paras: list = field(default_factory=list)
    colspan: int = 1
    rowspan: int = 1

    @property
    def text(self):
        return " ".join(p.text for p in self.paras if p.text).strip()

    @property
    def bold(self):
        return any(p.text for p in self.paras) and all(p.bold for p in self.paras if p.text)

    @property
    def italic(self):
        return any(p.text for p in self.paras) and all(p.italic for p in self.paras if p.text)


@dataclass
class Table:
    rows: list = field(default_factory=list)  # [[Cell]]
    line: int = 0


def clean(text):
    return _SPACE.sub(" ", html.unescape(text).replace("\xa0", " ")).strip()


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []
        self.tables = []  # stack
        self.para = None  # [chunks]
        self.styles = []  # stack of tags b/i/strong/em currently open
        self.in_body = False
        self.skip = 0

    # paragraph text runs: (text, bold, italic)
    def _start_para(self):
        if self.para is None:
            self.para = []

    def _end_para(self):
        if self.para is None:
            return
        runs = self.para
        self.para = None
        text = clean("".join(t for t, _, _ in runs))
        visible = [(t, b, i) for t, b, i in runs if t.strip()]
        para = Para(
            text,
            bold=bool(visible) and all(b for _, b, _ in visible),
            italic=bool(visible) and all(i for _, _, i in visible),
        )
        if self.tables and self.tables[-1]["cell"] is not None:
            self.tables[-1]["cell"].paras.append(para)
        elif text:
            self.blocks.append(("p", para, self.getpos()[0]))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "head"):
            self.skip += 1
        elif tag == "table":
            self._end_para()
            self.tables.append({"table": Table(line=self.getpos()[0]), "row": None, "cell": None})
        elif tag == "tr" and self.tables:
            self.tables[-1]["row"] = []
        elif tag in ("td", "th") and self.tables:
            self._end_para()
            self.tables[-1]["cell"] = Cell(
                colspan=int(attrs.get("colspan") or 1), rowspan=int(attrs.get("rowspan") or 1)
            )
        elif tag in ("p", "div", "li", "h1", "h2", "h3", "h4"):
            self._end_para()
            self._start_para()
        elif tag == "br":
            if self.para is not None:
                self.para.append((" ", False, False))
        elif tag in ("b", "strong", "i", "em"):
            self.styles.append("b" if tag in ("b", "strong") else "i")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head"):
            self.skip = max(0, self.skip - 1)
        elif tag in ("p", "div", "li", "h1", "h2", "h3", "h4"):
            self._end_para()
        elif tag in ("td", "th") and self.tables:
            self._end_para()
            t = self.tables[-1]
            if t["cell"] is not None and t["row"] is not None:
                t["row"].append(t["cell"])
            t["cell"] = None
        elif tag == "tr" and self.tables:
            t = self.tables[-1]
            if t["row"] is not None:
                t["table"].rows.append(t["row"])
            t["row"] = None
        elif tag == "table" and self.tables:
            self._end_para()
            t = self.tables.pop()
            self.blocks.append(("table", t["table"], t["table"].line))
        elif tag in ("b", "strong", "i", "em"):
            kind = "b" if tag in ("b", "strong") else "i"
            for k in range(len(self.styles) - 1, -1, -1):
                if self.styles[k] == kind:
                    del self.styles[k]
                    break

    def handle_data(self, data):
        if self.skip:
            return
        if self.para is None:
            if not data.strip():
                return
            self._start_para()
        self.para.append((data, "b" in self.styles, "i" in self.styles))


def read_blocks(text):
    """[("p", Para, line) | ("table", Table, line)] in document order."""
    reader = _Reader()
    reader.feed(text)
    reader.close()
    reader._end_para()
    return reader.blocks
