"""Signing: the PAdES signature of a built report, into arsip/.

* arsip: ``tandatangan`` (``python -m lkj tandatangan``: the report checked up to date and not
  synthetic, signed, archived) and ``archive_signed``;
* sertifikat: the PKCS#12 certificate and its password;
* placement: where the visible signature goes;
* pades: ``sign_pdf`` (pyHanko) and what is read from a PDF (keywords, PDF/A identification).

Imports lkj.run and below; never lkj.pemda."""
