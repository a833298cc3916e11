"""Read the main form of a page the way a browser would submit it (no JavaScript)."""

from html.parser import HTMLParser


class _FirstForm(HTMLParser):
    def __init__(self, form_id: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.forms: list[list[tuple[str, str]]] = []
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._select_value: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        if tag == "form" and not self.inside:
            wanted = self.form_id is None or attributes.get("id") == self.form_id
            self.inside = wanted and (attributes.get("method") or "").lower() == "post"
            self.fields = []
            return
        if not self.inside:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attributes:
                return
            self.fields.append(
                (name, attributes.get("value") or ("on" if kind == "checkbox" else ""))
            )
        elif tag == "select" and name:
            self._select, self._select_value = name, None
        elif tag == "option" and self._select is not None:
            if self._select_value is None or "selected" in attributes:
                self._select_value = attributes.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag) -> None:
        if not self.inside:
            return
        if tag == "select" and self._select is not None:
            self.fields.append((self._select, self._select_value or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None
        elif tag == "form":
            self.inside = False
            self.forms.append(self.fields)


def form_fields(html: str, *, form_id: str | None = None) -> list[tuple[str, str]]:
    """(name, value) pairs of the page's main POST form: the one with ``form_id``, or the one
    with the most fields (the layout's language switcher is a small form too)."""
    parser = _FirstForm(form_id)
    parser.feed(html)
    return max(parser.forms, key=len, default=[])
