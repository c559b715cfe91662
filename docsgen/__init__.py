"""Generated documentation of the package and its validator: `python -m docsgen` writes it, `--check` names what is stale.

Everything here follows from the model, the rule registry, the modules' docstrings or the data, so it is produced by
this command and never edited by hand: the data dictionary with its relationship diagram (docs/data-dictionary.md),
the rule table (docs/validation.md), the coverage report (docs/coverage.md), the figures (docs/figures/), the module
table of docs/design.md, the character-class and UN region constants (validate/charclasses.py, validate/regions.py),
the version and authors repeated in pyproject.toml, CITATION.cff, .zenodo.json and datapackage.json (from
datapackage.json's version and CITATION.cff's authors), and the blocks of README.md between `<!-- begin: NAME -->`
and `<!-- end: NAME -->` (the tables with their row counts and the coverage summary). It imports the validator
(`validate`), never the tests: the fault corpus, which is test code, has its own page (docs/faults.md), written beside
it by `python tests/faults_page.py`. Tests fail when either is stale. Drawing needs matplotlib and networkx, which the `test` extra installs.
"""
