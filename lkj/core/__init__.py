"""Foundations every layer may use: settings (config), Indonesian number formats (fmt), decimal
arithmetic (numbers), the pipeline's errors, and where lkj's own files are (resources).

Imports nothing else of lkj."""
