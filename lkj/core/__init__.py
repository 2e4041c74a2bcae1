"""Foundations every layer may use: settings (config), Indonesian number formats (fmt), decimal
arithmetic (numbers), the pipeline's errors, where lkj's own files are (resources), and
temporary folders that name their owner (tempdirs).

Imports nothing else of lkj."""
