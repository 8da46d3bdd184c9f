"""A fact-check site generator: YAML records in, a cross-linked static site out.

The core (load, model, validate, graph, render, export, cli) never imports MkDocs;
`generator.mkdocs_plugin` is the thin adapter that does.
"""
