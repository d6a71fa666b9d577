"""Sources in: `briefgen source add` turns a saved page, PDF, Word file, mail or URL into a
stored text and a registry entry (add), and `check` notices a text changed since
(integrity). Nothing here imports trafilatura or pypdf at import time: only `source add`
pays for them (extract imports them inside its readers).
"""
