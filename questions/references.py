"""A question's references: documentation pages, each a title with (ideally) its URL.

`Question.references` stays Markdown, one reference per line, written as a list item
(`- [Title](https://...)`), so the admin edits it as text and any Markdown renderer shows a list.
The import and export formats carry the same references as `{title, url}` objects (JSON) or
`Title | url` lines (CSV); this module converts between the three, and is the one place that
says what a valid reference URL is.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

CSV_SEPARATOR = " | "
_LINK_LINE = re.compile(r"^(?:[-*]\s+)?\[(?P<title>[^\[\]]+)\]\((?P<url>[^()\s]+)\)$")
_BULLET = re.compile(r"^[-*]\s+")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class Reference:
    title: str
    url: str = ""

    def markdown_line(self) -> str:
        return f"- [{self.title}]({self.url})" if self.url else f"- {self.title}"

    def csv_line(self) -> str:
        return f"{self.title}{CSV_SEPARATOR}{self.url}" if self.url else self.title

    def as_data(self) -> dict | str:
        """The JSON form: an object when there is a URL, the bare title otherwise."""
        return {"title": self.title, "url": self.url} if self.url else self.title


def url_problem(url: str) -> str | None:
    """Why `url` cannot be a reference link, or None. Only https: documentation is public and
    served over TLS, and this shuts out javascript:, data: and plain-http links."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc:
        return f"{url!r} is not an https:// address."
    if any(char.isspace() for char in url) or "(" in url or ")" in url:
        return f"{url!r} contains spaces or parentheses; encode them (%20, %28, %29)."
    return None


def title_problem(title: str) -> str | None:
    if not title:
        return "a reference needs a title."
    if any(char in title for char in "[]\n"):
        return f"the title {title!r} must not contain square brackets or line breaks."
    return None


def from_data(value) -> Reference:
    """Read one reference as the import formats carry it: `{title, url}`, `"Title | url"`, or a
    plain title. Raises ValueError saying what is wrong."""
    if isinstance(value, dict):
        unknown = set(value) - {"title", "url"}
        if unknown:
            raise ValueError(f"unknown reference field(s): {', '.join(sorted(unknown))}.")
        reference = Reference(str(value.get("title") or "").strip(), str(value.get("url") or ""))
    elif isinstance(value, str):
        title, _, url = value.strip().rpartition(CSV_SEPARATOR.strip())
        if not title or not _SCHEME.match(url.strip()):
            # No "| scheme:..." at the end: a plain title, as older files have.
            title, url = value.strip(), ""
        reference = Reference(_BULLET.sub("", title.strip()), url.strip())
    else:
        raise ValueError("each reference must be {title, url} or a string.")
    reference = Reference(reference.title, reference.url.strip())
    problem = title_problem(reference.title) or (reference.url and url_problem(reference.url))
    if problem:
        raise ValueError(problem)
    return reference


def parse_line(line: str) -> Reference:
    """One stored Markdown line back into a reference (a line that is no link is a title)."""
    line = line.strip()
    match = _LINK_LINE.match(line)
    if match:
        return Reference(match["title"].strip(), match["url"])
    return Reference(_BULLET.sub("", line))


def parse(text: str) -> list[Reference]:
    return [parse_line(line) for line in text.splitlines() if line.strip()]


def to_markdown(references: list[Reference]) -> str:
    return "\n".join(reference.markdown_line() for reference in references)


def problems(text: str) -> list[str]:
    """What is wrong with a stored references field (the model's `clean` reports these)."""
    found = []
    for line in text.splitlines():
        if "](" in line and not _LINK_LINE.match(line.strip()):
            found.append(f"Write each link on its own line as - [Title](https://...): {line!r}.")
            continue
        url = parse_line(line).url
        if url and (problem := url_problem(url)):
            found.append(problem)
    return found
