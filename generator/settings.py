"""Site-wide settings the core needs, independent of any site engine."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import yaml


@dataclass(frozen=True, slots=True)
class Settings:
    """Who publishes the site, where it lives, and where its records are edited."""

    site_name: str = "Fact-check"
    site_url: str = ""
    """Absolute URL of the published site, ending in '/'; empty for local previews."""
    publisher: str = "Fact-check desk"
    """The fact-checking organisation (ClaimReview author)."""
    publisher_url: str = ""
    repo_url: str = ""
    """The repository holding the records, e.g. https://github.com/desk/site/."""
    edit_path: str = "edit/main/"
    """Appended to repo_url to edit a file: GitHub's edit/<branch>/."""
    correction_template: str = "correction.yml"
    """The issue form readers use to suggest a correction."""
    facts_dir: str = "facts"
    seeds_dir: str = "seeds"
    directory_urls: bool = True
    search: str = "material"
    """'material' (the theme's own search) or 'pagefind' (chunked index, for large desks)."""

    def edit_url(self, record_path: str) -> str | None:
        """The URL that opens `record_path` in the repository's editor."""
        if not self.repo_url:
            return None
        return f"{self.repo_url.rstrip('/')}/{self.edit_path.strip('/')}/{record_path}"

    def correction_url(self, claim_id: str) -> str | None:
        """The prefilled 'suggest a correction' issue form for a claim."""
        if not self.repo_url:
            return None
        return (
            f"{self.repo_url.rstrip('/')}/issues/new?template={quote(self.correction_template)}"
            f"&claim={quote(claim_id)}&title={quote('Correction: ' + claim_id)}"
        )

    def absolute(self, page: str) -> str:
        """The absolute URL of a page key such as 'claims/x', or '' without site_url."""
        if not self.site_url:
            return ""
        return self.site_url.rstrip("/") + "/" + page_url(page, self.directory_urls)


def page_url(key: str, directory_urls: bool = True) -> str:
    """The site-relative URL of a page key: 'index', 'claims/index' or 'claims/x'."""
    if key == "index":
        return "" if directory_urls else "index.html"
    if key.endswith("/index"):
        return key[: -len("index")] if directory_urls else key + ".html"
    return key + "/" if directory_urls else key + ".html"


def relative_url(from_key: str, to_key: str, directory_urls: bool = True) -> str:
    """The relative link from one page to another, as the built site needs it."""
    source, target = page_url(from_key, directory_urls), page_url(to_key, directory_urls)
    # Called for every link of every page: plain segment arithmetic, not os.path.relpath.
    base = source.split("/")[:-1]
    parts = target.split("/")
    common = 0
    while common < len(base) and common < len(parts) - 1 and base[common] == parts[common]:
        common += 1
    link = "../" * (len(base) - common) + "/".join(parts[common:])
    return link or "./"


def relative_file(from_key: str, path: str, directory_urls: bool = True) -> str:
    """The relative link from a page to a static file such as 'data/claims.json'."""
    source = page_url(from_key, directory_urls)
    base = source if directory_urls else posixpath.dirname(source)
    return posixpath.relpath(path, base.rstrip("/") or ".")


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running anything: unknown tags become None."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_settings(config_file: Path) -> Settings:
    """Settings from an mkdocs.yml: `site_*`, `repo_url` and the factcheck plugin's options."""
    with config_file.open(encoding="utf-8") as handle:
        config = yaml.load(handle, Loader=_ConfigLoader) or {}  # noqa: S506 - safe subclass
    options: dict = {}
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and "factcheck" in plugin:
            options = plugin["factcheck"] or {}
    return from_options(
        options,
        site_name=config.get("site_name") or "Fact-check",
        site_url=config.get("site_url") or "",
        repo_url=config.get("repo_url") or "",
        directory_urls=config.get("use_directory_urls", True),
    )


def from_options(options: dict, **site: object) -> Settings:
    """Settings from the plugin's option names plus the site-level values."""
    names = {
        "publisher",
        "publisher_url",
        "edit_path",
        "correction_template",
        "facts_dir",
        "seeds_dir",
        "search",
    }
    chosen = {name: str(value) for name, value in options.items() if name in names and value}
    return Settings(**site, **chosen)
