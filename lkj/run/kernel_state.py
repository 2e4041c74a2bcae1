"""What a kernel kept for another run must give back: run inside the kernel, never the caller.

A kernel of a pool (``lkj.run.kernel_pool``) outlives the run it served: the next run of the
same process takes it instead of starting one (its interpreter, ipykernel, pandas, matplotlib
and lkj stay imported). Before it is handed out again it must be what a kernel just started
and warmed (``lkj.run.kernels.warm_kernel``) is. :func:`snapshot` records that state once,
when the warm-up is done; :func:`restore` brings the kernel back to it between two runs:

* the IPython namespace, history counter and figures (as between two notebooks of a run);
* the working folder, ``sys.path``, ``os.environ`` (and the time zone), the umask, the
  recursion limit, the decimal context, the locale, the warnings filters and registries,
  the root logger's handlers and level, pandas options, numpy's print and error settings,
  matplotlib's rcParams, the random generators (seeded anew, as a new process is);
* lkj's own modules: those a notebook imported after the warm-up are unloaded (the next
  notebook imports them afresh, so that the lkj modules a stage reports for its fingerprint
  are those a new kernel reports), the globals of the warm ones are put back (names rebound
  or added, dicts, lists and sets changed in place) and their ``functools`` caches emptied.

:func:`restore` raises when it cannot: the pool then stops the kernel and starts another.
"""

from __future__ import annotations

import sys
from typing import Any

_SNAPSHOT: dict[str, Any] = {}
_CONTAINERS = (dict, list, set)


def _lkj_modules() -> dict[str, Any]:
    return {n: m for n, m in list(sys.modules.items()) if n == "lkj" or n.startswith("lkj.")}


def snapshot() -> None:
    """Record the kernel's state after its warm-up (once; later calls change nothing)."""
    import copy
    import decimal
    import locale
    import logging
    import os
    import warnings

    if _SNAPSHOT:
        return
    modules = _lkj_modules()
    state: dict[str, Any] = {
        "cwd": os.getcwd(),
        "path": list(sys.path),
        "environ": dict(os.environ),
        "recursion": sys.getrecursionlimit(),
        "decimal": decimal.getcontext().copy(),
        "locale": locale.setlocale(locale.LC_ALL),
        "filters": list(warnings.filters),
        "root_log": (list(logging.root.handlers), logging.root.level),
        "modules": set(modules),
        "globals": {
            name: (
                dict(vars(module)),
                {
                    k: copy.copy(v)
                    for k, v in vars(module).items()
                    if type(v) in _CONTAINERS and not k.startswith("__")
                },
            )
            for name, module in modules.items()
            if name != __name__  # this module holds the snapshot itself
        },
    }
    umask = os.umask(0)
    os.umask(umask)
    state["umask"] = umask
    if "pandas" in sys.modules:
        from pandas._config import config

        state["pandas"] = copy.deepcopy(config._global_config)
    if "numpy" in sys.modules:
        import numpy

        state["numpy"] = (numpy.get_printoptions(), numpy.geterr())
    if "matplotlib" in sys.modules:
        import matplotlib

        state["rc"] = matplotlib.rcParams.copy()
    _SNAPSHOT.update(state)


def _restore_process(state: dict[str, Any]) -> None:
    """Working folder, sys.path, environment, umask, limits, decimal, locale, logging."""
    import decimal
    import locale
    import logging
    import os
    import time

    os.chdir(state["cwd"])
    sys.path[:] = state["path"]
    if dict(os.environ) != state["environ"]:
        os.environ.clear()
        os.environ.update(state["environ"])
        if hasattr(time, "tzset"):
            time.tzset()
    os.umask(state["umask"])
    sys.setrecursionlimit(state["recursion"])
    decimal.setcontext(state["decimal"].copy())
    if locale.setlocale(locale.LC_ALL) != state["locale"]:
        locale.setlocale(locale.LC_ALL, state["locale"])
    handlers, level = state["root_log"]
    logging.root.handlers[:] = handlers
    logging.root.setLevel(level)


def _restore_warnings(state: dict[str, Any]) -> None:
    """The filters as they were, and no warning remembered as shown ("once", "default")."""
    import warnings

    warnings.filters[:] = state["filters"]
    warnings.onceregistry.clear()
    for module in list(sys.modules.values()):
        registry = getattr(module, "__warningregistry__", None)
        if isinstance(registry, dict):
            registry.clear()
    mutated = getattr(warnings, "_filters_mutated", None) or getattr(
        warnings, "_filters_mutated_lock_held", None
    )
    if mutated is not None:  # the warnings' caches see the filters as changed
        mutated()


def _restore_libraries(state: dict[str, Any]) -> None:
    """pandas options, numpy settings, matplotlib's rcParams, the random generators."""
    import copy
    import random

    if "pandas" in sys.modules:
        from pandas._config import config

        saved = state["pandas"] if "pandas" in state else _pandas_defaults()
        config._global_config.clear()
        config._global_config.update(copy.deepcopy(saved))
    if "numpy" in sys.modules:
        import numpy

        if "numpy" in state:
            printoptions, err = state["numpy"]
            numpy.set_printoptions(**printoptions)
            numpy.seterr(**err)
        numpy.random.seed()
    if "matplotlib" in sys.modules:
        import matplotlib

        if "rc" in state:
            matplotlib.rcParams.update(state["rc"])
        else:  # imported after the warm-up: its defaults (lkj's style is applied on use)
            matplotlib.rcdefaults()
    random.seed()


def _pandas_defaults() -> dict[str, Any]:
    from pandas._config import config

    out: dict[str, Any] = {}
    for key, option in config._registered_options.items():
        node = out
        *parents, last = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = option.defval
    return out


def _restore_lkj(state: dict[str, Any]) -> None:
    """Unload lkj modules imported after the warm-up; put back the warm ones' globals."""
    import functools

    warm = state["modules"]
    for name in [n for n in _lkj_modules() if n not in warm]:
        module = sys.modules.pop(name)
        parent, _, child = name.rpartition(".")
        holder = sys.modules.get(parent)
        if holder is not None and getattr(holder, child, None) is module:
            delattr(holder, child)
    for name, (names, contents) in state["globals"].items():
        module = sys.modules.get(name)
        if module is None:
            raise RuntimeError(f"modul {name} hilang dari kernel")
        space = vars(module)
        for key in [k for k in space if k not in names]:
            del space[key]
        for key, value in names.items():
            if space.get(key) is not value:
                space[key] = value
        for key, saved in contents.items():
            value = space[key]
            if isinstance(value, list):
                value[:] = saved
            else:
                value.clear()
                value.update(saved)  # type: ignore[union-attr]
        for value in names.values():
            if isinstance(value, functools._lru_cache_wrapper):  # type: ignore[attr-defined]
                value.cache_clear()


def restore() -> str:
    """Bring the kernel back to its state after the warm-up (see the module's docstring).

    Returns:
        "ok".

    Raises:
        RuntimeError: no snapshot was taken, or a warm module is gone.
    """
    import gc
    import threading

    from IPython import get_ipython

    for thread in threading.enumerate():  # the warm-up still importing (grafik lane)
        if thread.name == "lkj-warm":
            thread.join()
    if not _SNAPSHOT:
        raise RuntimeError("kernel tanpa snapshot: tidak dapat dipakai ulang")
    shell = get_ipython()
    if shell is None:
        raise RuntimeError("restore() hanya berjalan di dalam kernel")
    shell.reset(new_session=True)
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    _restore_process(_SNAPSHOT)
    _restore_warnings(_SNAPSHOT)
    _restore_libraries(_SNAPSHOT)
    _restore_lkj(_SNAPSHOT)
    gc.collect()
    return "ok"
