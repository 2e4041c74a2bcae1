"""Files the data names (the lambang image, the narasi texts): they stay inside their folder.

A file named by the data is taken only when, after following links, it is a regular file inside
its data root (``data/raw``: a lambang shared by several years may stand there; the pemda
workspace), of the type its name says (an image's own header, not its name) and under the
limits of ``[batas]`` (config/lkj.toml). Anything else is a ``DataError`` naming the file and
the key that named it: a lambang linked to ``/etc/passwd`` never reaches a page.

Also the one streamed checksum (``sha256_file``): a file is hashed in chunks, never read whole.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path

from lkj.core.config import Batas, load_batas
from lkj.core.errors import DataError

CHUNK = 1 << 20
# An SVG reference to anything but itself or inline data: another file, a web address.
_OUTSIDE = re.compile(r"""(?:href|src)\s*=\s*["'](?!#|data:)""", re.I)
IMAGE_MAGIC = {
    ".png": (b"\x89PNG\r\n\x1a\n", "PNG"),
    ".jpg": (b"\xff\xd8\xff", "JPEG"),
    ".jpeg": (b"\xff\xd8\xff", "JPEG"),
}


def shown(path: Path | str) -> str:
    """A path for a message: as the user knows it, with characters a terminal would act on
    (ESC, BEL, bytes that are not UTF-8) written as escapes."""
    try:
        text = os.path.relpath(path).replace(os.sep, "/")  # lkj.data.sources.display_path
    except ValueError:  # another drive on Windows
        text = str(path)
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)


def sha256_file(path: Path | str) -> str:
    """The SHA-256 of a file, read in chunks of 1 MB (a stray 1,5 GB file costs 1 MB).

    Args:
        path: the file.

    Returns:
        The hex digest.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def inside(path: Path, root: Path, where: str, limit_bytes: int, limit_name: str) -> Path:
    """``path`` after following links, if it is a regular file inside ``root`` and not larger
    than ``limit_bytes``.

    Args:
        path: the file as the data names it (may be a link).
        root: the data root it must stay in.
        where: the file and key that named it, for the message.
        limit_bytes: the largest size accepted.
        limit_name: the limit's name in ``[batas]``, for the message.

    Returns:
        The resolved file.

    Raises:
        DataError: outside the root, not a regular file, or too large.
    """
    real = Path(os.path.realpath(path))
    base = Path(os.path.realpath(root))
    if real != base and base not in real.parents:
        raise DataError(
            where,
            f"berkas {shown(path)} menunjuk ke luar folder data {shown(root)} "
            "(tautan atau '..'): tidak dibaca; letakkan berkasnya di folder itu",
        )
    try:
        info = real.stat()
    except OSError as exc:
        raise DataError(
            where, f"berkas {shown(path)} tidak dapat dibaca ({exc.strerror})"
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise DataError(where, f"{shown(path)} bukan berkas biasa (folder, perangkat?)")
    if info.st_size > limit_bytes:
        raise DataError(
            where,
            f"berkas {shown(path)} {info.st_size / 2**20:.1f} MB, melebihi batas "
            f"{limit_name} = {_size(limit_bytes)} (config/lkj.toml [batas])",
        )
    return real


def _size(n: int) -> str:
    return f"{n // 2**20} MB" if n >= 2**20 else f"{n // 1024} KB"


def check_image(
    path: Path, where: str, batas: Batas | None = None, kind: str | None = None
) -> None:
    """Refuse an image whose content is not what its name says, or too many pixels.

    PNG and JPEG: the magic bytes, then the header (PIL, without decoding the pixels). SVG: an
    XML text whose root is ``<svg``.

    Args:
        path: the (resolved) image file.
        where: the file and key that named it.
        batas: the limits (default: config/lkj.toml).
        kind: the suffix its name says (default: that of ``path``; a link's own name may
            differ from its target's).

    Raises:
        DataError: the content does not match, the header is broken, or too many pixels.
    """
    batas = batas or load_batas()
    suffix = kind or path.suffix.lower()
    with open(path, "rb") as f:
        head = f.read(4096)
    if suffix == ".svg":
        text = head.decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
        if not text.startswith(("<?xml", "<svg", "<!--", "<!DOCTYPE svg")) or "<svg" not in text:
            raise DataError(where, f"{shown(path)} bukan gambar SVG (isinya bukan XML svg)")
        whole = path.read_text(encoding="utf-8", errors="replace")
        if "<!ENTITY" in whole or _OUTSIDE.search(whole):
            raise DataError(
                where,
                f"{shown(path)}: gambar SVG merujuk berkas atau alamat lain (href, ENTITY); "
                "simpan ulang sebagai SVG mandiri atau PNG",
            )
        return
    magic, kind = IMAGE_MAGIC[suffix]
    if not head.startswith(magic):
        raise DataError(
            where, f"{shown(path)} bukan gambar {kind} (isi berkas tidak sesuai namanya)"
        )
    from PIL import Image

    bomb, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None  # the limit is checked below
    try:
        with Image.open(path) as image:  # the header only: no pixel is decoded here
            width, height = image.size
    except Exception as exc:  # PIL raises many types for a broken header (and a bomb)
        raise DataError(
            where, f"{shown(path)}: gambar {kind} rusak ({type(exc).__name__})"
        ) from None
    finally:
        Image.MAX_IMAGE_PIXELS = bomb
    pixels = width * height
    if pixels > batas.lambang_megapiksel * 1_000_000:
        raise DataError(
            where,
            f"{shown(path)} {width} x {height} piksel ({pixels / 1e6:.0f} megapiksel), "
            f"melebihi batas lambang_megapiksel = {batas.lambang_megapiksel} "
            "(config/lkj.toml [batas])",
        )


def lambang_file(name: str, folders: tuple[Path, ...], root: Path, where: str) -> Path | None:
    """The lambang image ``name`` (instansi.csv or pemda.csv, key ``lambang``), checked.

    Args:
        name: the file name as written in the data.
        folders: where to look, in order (data/raw/YEAR, then data/raw).
        root: the data root the file must stay in (data/raw; the pemda workspace).
        where: the table and key that named it, e.g. "data/raw/2022/instansi.csv, kunci lambang".

    Returns:
        The image (as named: its suffix says its type), or None when no folder holds a file
        of that name.

    Raises:
        DataError: it resolves outside ``root``, is not a regular file, is too large, or is not
            the image its name says.
    """
    if not name:
        return None
    batas = load_batas()
    for folder in folders:
        candidate = folder / name
        if not os.path.lexists(candidate):
            continue
        if candidate.suffix.lower() not in (*IMAGE_MAGIC, ".svg"):
            return candidate  # not an image the cover shows: noted there, never read
        real = inside(candidate, root, where, batas.lambang_mb * 2**20, "lambang_mb")
        check_image(real, where, batas, kind=candidate.suffix.lower())
        return candidate
    return None


def text_file(path: Path, root: Path, where: str) -> str | None:
    """A narasi text: checked like ``inside`` (limit ``narasi_kb``), decoded as UTF-8.

    Args:
        path: the file (may be a link); None when it does not exist.
        root: the data root it must stay in.
        where: the file as the message names it.

    Returns:
        The text, or None when there is no such file.

    Raises:
        DataError: outside ``root``, not a regular file, too large, or not UTF-8.
    """
    if not os.path.lexists(path):
        return None
    batas = load_batas()
    real = inside(path, root, where, batas.narasi_kb * 1024, "narasi_kb")
    data = real.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(
            where, f"bukan teks UTF-8 (baris {line}); simpan ulang sebagai UTF-8"
        ) from None
