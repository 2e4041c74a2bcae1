"""Signing: the PAdES signature of a built report (pades), into arsip/.

Imports lkj.run and below; never lkj.pemda."""
