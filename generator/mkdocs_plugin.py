"""The MkDocs adapter: the only module of the package that imports mkdocs.

It translates between MkDocs events and the core: load and check the records when
the config is read, add the generated pages in memory, swap in their finished HTML,
and watch the records while serving. Nothing is written into the docs directory.
"""

from __future__ import annotations

import datetime
import hashlib
import html
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage

from generator import csp
from generator.claimreview import lint
from generator.export import export_files
from generator.model import Corpus
from generator.problem import Problem
from generator.render import MARKERS, Page, Renderer
from generator.settings import Settings, from_options
from generator.validate import Layout, RecordCache, load_corpus

log = get_plugin_logger(__name__)

STYLESHEETS = ("assets/factcheck/factcheck.css", "assets/factcheck/verdicts.css")
SCRIPT = "assets/factcheck/factcheck.js"
"""Served as a file, never inline, so the security policy needs no new hash."""


class FactcheckConfig(Config):
    """Options of the `factcheck` plugin in mkdocs.yml."""

    facts_dir = c.Type(str, default="facts")
    """Folder of the YAML records, relative to mkdocs.yml."""
    seeds_dir = c.Type(str, default="seeds")
    """Folder of the article texts, relative to mkdocs.yml."""
    publisher = c.Type(str, default="Fact-check desk")
    """The fact-checking organisation named as ClaimReview author."""
    publisher_url = c.Type(str, default="")
    """The publisher's home page; defaults to site_url."""
    edit_path = c.Type(str, default="edit/main/")
    """Appended to repo_url to open a record in the repository's editor."""
    correction_template = c.Type(str, default="correction.yml")
    """The issue form that 'Suggest a correction' opens."""
    search = c.Choice(("material", "pagefind"), default="material")
    """Search engine: the theme's own (works everywhere, one index file that grows
    with the desk) or Pagefind (a chunked index built after the site; a first search
    downloads a few hundred KB at any size; needs the built site served over HTTP)."""


class FactcheckPlugin(BasePlugin[FactcheckConfig]):
    """Generates the fact-check pages from the records."""

    def __init__(self) -> None:
        self.serving = False
        self.last_good: Corpus | None = None
        self.problems: list[Problem] = []
        self.pages: dict[str, Page] = {}
        self.data: dict[str, str] = {}
        self.renderer: Renderer | None = None
        self.layout: Layout | None = None
        self.settings = Settings()
        # Live preview state, kept across rebuilds (see on_startup).
        self.dirty = False
        self.memo: dict = {}
        self.changed: set[str] = set()
        self.previous_problems: list[Problem] = []
        self.stubs: dict[str, Page] = {}
        self.bannered: set[str] = set()
        self.records = RecordCache()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this instance alive across serve rebuilds,
        # which is what lets a broken record fall back to the last good corpus.
        self.serving = command == "serve"
        self.dirty = dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).parent
        self.layout = Layout(root, self.config.facts_dir, self.config.seeds_dir)
        self.settings = settings = self._settings(config)
        self.previous_problems = self.problems
        corpus, self.problems = load_corpus(self.layout, self.records if self.serving else None)
        if corpus is not None:
            self.problems = lint(corpus, settings)
        if self.problems:
            listing = "\n".join(str(problem) for problem in self.problems)
            if not self.serving:
                raise PluginError(
                    f"{len(self.problems)} problem(s) in the fact records; nothing was built:\n"
                    + listing
                )
            log.warning(
                "%d problem(s) in the fact records; showing the last good version:\n%s",
                len(self.problems),
                listing,
            )
            corpus = self.last_good
        else:
            self.last_good = corpus
        previous = self.pages
        self.renderer = None if corpus is None else Renderer(corpus, settings, previous=self.memo)
        self.pages = self.renderer.pages() if self.renderer else {}
        self.memo = self.renderer.memo if self.renderer else {}
        self.changed = {k for k, page in self.pages.items() if previous.get(k) is not page}
        self.changed |= previous.keys() - self.pages.keys()
        if corpus is not None and not (self.serving and self.data):
            self.data = export_files(corpus, settings)
        elif self.serving and self.changed:
            # Seconds at thousands of claims, on every save: the preview keeps the
            # open-data files of its first build; `make build` always writes them.
            log.info("open-data files are not refreshed in the preview")
        if corpus is not None and "SOURCE_DATE_EPOCH" not in os.environ:
            # MkDocs stamps the sitemap with the build date; the newest record
            # date makes the same records give the same bytes.
            os.environ["SOURCE_DATE_EPOCH"] = str(_epoch(corpus))
        if self.config.search == "pagefind" and {"search", "material/search"} & set(config.plugins):
            raise PluginError(
                "factcheck: search: pagefind replaces the theme's search; "
                "remove `- search` from plugins in mkdocs.yml"
            )
        config.extra_css.extend(STYLESHEETS)
        config.extra_javascript.append(SCRIPT)
        # Our theme templates rank below the site's custom_dir, above the theme's own.
        position = 1 if config.theme.custom_dir else 0
        theme_dir = str(resources.files("generator") / "theme")
        if theme_dir not in config.theme.dirs:
            config.theme.dirs.insert(position, theme_dir)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        taken = {file.dest_uri.casefold(): file.src_uri for file in files}
        for page in self.pages.values():
            # Leaf pages are reached through index pages, never the nav (O(N^2) pages).
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            if self.serving:
                stub = self._stub(page)
                file = File.generated(config, page.src_uri, abs_src_path=stub, inclusion=inclusion)
            else:
                content = page.front_matter()
                file = File.generated(config, page.src_uri, content=content, inclusion=inclusion)
            clash = taken.get(file.dest_uri.casefold())
            if clash is not None:
                raise PluginError(
                    f"generated page {page.src_uri} (from {page.record or 'the index'}) would "
                    f"collide with {clash}, which writes the same {file.dest_uri}"
                )
            taken[file.dest_uri.casefold()] = file.src_uri
            files.append(file)
        if self.serving:
            self._drop_stale_stubs()
            if self.dirty:
                self._force_rebuilds(files, config)
        for path, content in self.data.items():
            files.append(File.generated(config, path, content=content))
        files.append(File.generated(config, STYLESHEETS[0], content=_asset("factcheck.css")))
        files.append(File.generated(config, SCRIPT, content=_asset("factcheck.js")))
        css = self.renderer.stylesheet() if self.renderer else ""
        files.append(File.generated(config, STYLESHEETS[1], content=css))
        return files

    def on_page_content(
        self, html_text: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files
    ) -> str:
        key = page.file.src_uri.removesuffix(".md")
        generated = self.pages.get(key)
        if generated is not None:
            html_text = generated.html
            if generated.record:
                page.edit_url = self.settings.edit_url(generated.record)
        elif self.renderer is not None:
            for name in MARKERS:
                marker = f"<!-- factcheck:{name} -->"
                if marker in html_text:
                    html_text = html_text.replace(marker, self.renderer.fragment(name, key))
        if self.problems:
            html_text = _problem_banner(self.problems) + html_text
            self.bannered.add(page.file.src_uri)
        else:
            self.bannered.discard(page.file.src_uri)
        return html_text

    def on_post_page(self, output: str, *, page: MkDocsPage, config: MkDocsConfig) -> str:
        wasm = page.file.src_uri == "search/index.md" and self.config.search == "pagefind"
        return self._protect(output, page.file.src_uri, wasm)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.config.search != "pagefind" or self.serving:
            return  # the preview has no search index; `make build` makes one
        result = subprocess.run(
            [sys.executable, "-m", "pagefind", "--site", config.site_dir, "--silent"],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise PluginError(f"pagefind failed: {(result.stderr or result.stdout).strip()}")

    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str:
        if template_name.endswith(".html"):
            return self._protect(output_content, template_name)
        return output_content

    @staticmethod
    def _protect(output: str, where: str, wasm: bool = False) -> str:
        try:
            return csp.protect(output, where, wasm)
        except csp.PolicyError as error:
            raise PluginError(str(error)) from error

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        for folder in (self.config.facts_dir, self.config.seeds_dir):
            path = Path(config.config_file_path).parent / folder
            if path.is_dir():
                server.watch(str(path))
        return server

    # -- live preview ------------------------------------------------------------

    def _stub_dir(self) -> Path:
        return self.layout.root / ".cache" / "factcheck" / "pages"

    def _stub(self, page: Page) -> str:
        """A small file standing for a generated page, rewritten only when the page changed.

        MkDocs' dirty rebuild compares file times, so unchanged pages are skipped;
        the page body itself is still swapped in from memory (on_page_content).
        """
        path = self._stub_dir() / page.src_uri
        if self.stubs.get(page.key) is not page:
            digest = hashlib.sha256(page.html.encode("utf-8")).hexdigest()
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(page.front_matter() + f"<!-- {digest} -->\n", encoding="utf-8")
            self.stubs[page.key] = page
        return str(path)

    def _drop_stale_stubs(self) -> None:
        for key in self.stubs.keys() - self.pages.keys():
            (self._stub_dir() / f"{key}.md").unlink(missing_ok=True)
            del self.stubs[key]

    def _force_rebuilds(self, files: Files, config: MkDocsConfig) -> None:
        """Make a dirty rebuild redo the pages whose output changed without their source.

        Hand-written pages embed generated blocks, and the problem banner comes
        and goes with the records; deleting a page's output makes MkDocs rebuild it.
        """
        written = [
            f
            for f in files.documentation_pages()
            if f.src_uri.removesuffix(".md") not in self.pages
        ]
        force: set[str] = set()
        if self.changed:
            force |= {f.src_uri for f in written if "<!-- factcheck:" in f.content_string}
        if self.problems != self.previous_problems:
            records = {
                p.path.removeprefix(f"{self.config.facts_dir}/").replace(".yaml", ".md")
                for p in self.problems
            }
            force |= self.bannered | {f.src_uri for f in written} | records
        for file in files:
            if file.src_uri in force:
                Path(config.site_dir, file.dest_uri).unlink(missing_ok=True)

    def _settings(self, config: MkDocsConfig) -> Settings:
        return from_options(
            dict(self.config),
            site_name=config.site_name,
            site_url=config.site_url or "",
            repo_url=config.repo_url or "",
            directory_urls=config.use_directory_urls,
        )


def _epoch(corpus: Corpus) -> int:
    dates = [claim.modified for claim in corpus.claims.values()]
    dates += [article.published for article in corpus.articles.values()]
    newest = max(dates, default="1970-01-01")
    return int(datetime.datetime.fromisoformat(newest).replace(tzinfo=datetime.UTC).timestamp())


def _asset(name: str) -> str:
    return (resources.files("generator") / "assets" / name).read_text(encoding="utf-8")


def _problem_banner(problems: list[Problem]) -> str:
    lines = "\n".join(html.escape(str(problem)) for problem in problems)
    return (
        '<div class="fc-problems" role="alert"><p><strong>The fact records have '
        f"{len(problems)} problem(s).</strong> This preview shows the last version "
        f"that passed the checks. Fix these and save:</p><pre>{lines}</pre></div>"
    )
