"""Renderers: the Brief as HTML, and HTML as PDF. Each imports its engine only when used."""
