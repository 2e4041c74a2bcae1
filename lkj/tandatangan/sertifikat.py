"""The signer's certificate: the PKCS#12 file (.p12/.pfx) opened with its password, and checked
that it may sign now.

The password comes from the environment variable ``LKJ_P12_PASSWORD`` or a prompt, never from
the command line (which other users and the shell history can see). Refused, with a message
(``SigningError``): a wrong password or a file that is not PKCS#12; a certificate that is
expired, not yet valid or not meant for signing.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from lkj.core.config import load_batas
from lkj.core.errors import LkjError

ENV_PASSWORD = "LKJ_P12_PASSWORD"
"""Environment variable holding the PKCS#12 password (else it is asked for)."""


class SigningError(LkjError):
    """Signing refused or impossible; the message says why, in Indonesian."""


@dataclass(frozen=True)
class Credentials:
    """The signer's key and certificates from the PKCS#12 file.

    Attributes:
        key: the private key (cryptography object).
        cert: the signer's certificate (cryptography ``x509.Certificate``).
        chain: the other certificates of the file (issuers).
    """

    key: Any
    cert: Any
    chain: tuple[Any, ...]

    @property
    def name(self) -> str:
        """The certificate's common name (else its whole subject)."""
        from cryptography.x509.oid import NameOID

        names = self.cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        return str(names[0].value) if names else self.cert.subject.rfc4514_string()


def read_password(
    environ: Mapping[str, str] | None = None, prompt: Callable[[str], str] = getpass.getpass
) -> bytes:
    """The PKCS#12 password: ``LKJ_P12_PASSWORD`` if set, else asked without echo.

    Args:
        environ: the environment (default ``os.environ``).
        prompt: asks for the password (default ``getpass.getpass``).

    Returns:
        The password, UTF-8 encoded.
    """
    environ = os.environ if environ is None else environ
    value = environ.get(ENV_PASSWORD)
    if value is None:
        try:
            value = prompt("Kata sandi sertifikat (.p12): ")
        except EOFError:
            raise SigningError(
                f"kata sandi sertifikat tidak diberikan: setel variabel {ENV_PASSWORD} atau "
                "jalankan perintah di terminal agar kata sandi dapat ditanyakan"
            ) from None
    return value.encode("utf-8")


def _when(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%d-%m-%Y %H:%M UTC")


def load_credentials(p12: Path | str, password: bytes, now: datetime | None = None) -> Credentials:
    """Open the PKCS#12 file and check that its certificate may sign now.

    Args:
        p12: the .p12/.pfx file.
        password: its password.
        now: the moment of signing (default: now, UTC).

    Returns:
        The key and certificates.

    Raises:
        SigningError: file missing, wrong password or not PKCS#12, no key or certificate,
            certificate not yet valid or expired, or not for signing (key usage).
    """
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import pkcs12

    p12 = Path(p12)
    now = now or datetime.now(timezone.utc)
    limit = load_batas().p12_kb * 1024
    try:
        with open(p12, "rb") as f:  # at most the limit: /dev/zero or a stray big file ends here
            data = f.read(limit + 1)
    except OSError as exc:
        raise SigningError(
            f"{p12}: berkas sertifikat tidak dapat dibaca ({exc.strerror})"
        ) from None
    if len(data) > limit:
        raise SigningError(
            f"{p12}: lebih dari {limit // 1024} KB, melebihi batas p12_kb = {limit // 1024} "
            "(config/lkj.toml [batas]): bukan berkas sertifikat .p12/.pfx"
        )
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(data, password)
    except ValueError:
        raise SigningError(
            f"{p12}: kata sandi salah, atau berkas bukan sertifikat PKCS#12 (.p12/.pfx); "
            f"periksa kata sandi (variabel {ENV_PASSWORD} atau isian saat diminta)"
        ) from None
    if key is None or cert is None:
        raise SigningError(f"{p12}: berkas tidak memuat kunci privat dan sertifikat penanda tangan")
    if now < cert.not_valid_before_utc:
        raise SigningError(
            f"{p12}: sertifikat belum berlaku (berlaku mulai {_when(cert.not_valid_before_utc)}); "
            "tanda tangan ditolak"
        )
    if now > cert.not_valid_after_utc:
        raise SigningError(
            f"{p12}: sertifikat sudah kedaluwarsa (berlaku sampai "
            f"{_when(cert.not_valid_after_utc)}); perpanjang sertifikat di BSrE, tanda tangan "
            "ditolak"
        )
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is not None and not (usage.digital_signature or usage.content_commitment):
        raise SigningError(
            f"{p12}: sertifikat ini tidak untuk tanda tangan (key usage tanpa "
            "digitalSignature/nonRepudiation)"
        )
    return Credentials(key=key, cert=cert, chain=tuple(chain or ()))
