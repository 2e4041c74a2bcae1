"""The papermill engine that runs a notebook on this interpreter (``lkj.run.kernels``).

papermill's nbclient engine with these changes: the kernel manager takes its kernel spec from
``lkj.run.kernels.kernel_spec``; before the first cell the kernel is asked which interpreter
runs it (a kernel of another environment stops the run), and after the last which lkj modules
it imported (the code part of the stage's fingerprint); a kernel a lane shares is reset before
its next notebook; the notebook is written once, when it ends; the caller is told of each cell
that has run.
"""

from __future__ import annotations

import ast
import functools
import json
import logging
import os
import sys
from typing import Any

from lkj.run.kernels import _kernel_manager_class

ENGINE_NAME = "lkj"


# Evaluated by the kernel (an execute request's user expression, no output in the notebook).
_ASK_KERNEL = "__import__('json').dumps([__import__('sys').executable, __import__('sys').prefix])"

# The files of the lkj modules the kernel has imported (after the last cell).
_ASK_MODULES = (
    "__import__('json').dumps(sorted(getattr(m, '__file__', None) or '' for n, m in "
    "list(__import__('sys').modules.items()) if (n == 'lkj' or n.startswith('lkj.'))"
    " and n != 'lkj.run.kernel_state'))"
)
# (lkj.run.kernel_state: how a pooled kernel is restored between runs, lkj.run.kernel_pool; not
# the notebook's code, and absent from a kernel that is not pooled)


class _WrongKernel(Exception):
    pass


# Run (silently) in a shared kernel before its next notebook: a namespace and execution
# counter as a new kernel has them; imported modules stay loaded (that is the saving).
_RESET = (
    "get_ipython().reset(new_session=True)\n"
    "import sys as _s\n"
    "if 'matplotlib.pyplot' in _s.modules: _s.modules['matplotlib.pyplot'].close('all')\n"
    "del _s\n"
    "__import__('gc').collect()"
)


@functools.lru_cache(maxsize=1)
def _engine() -> str:
    """Register (once) the papermill engine that runs on this interpreter; returns its name.

    It is papermill's nbclient engine with two changes: the kernel manager takes its kernel
    spec from ``lkj.run.kernels.kernel_spec``, and before the first cell the kernel is asked which
    interpreter runs it (``sys.executable``, ``sys.prefix``); the answer goes to the
    ``lkj_kernel`` dict the caller passes, and a kernel of another environment stops the run.
    """
    from papermill.engines import papermill_engines

    papermill_engines.register(ENGINE_NAME, _engine_class(_client_class()))
    return ENGINE_NAME


def _client_class() -> type:
    """papermill's notebook client, which resets a shared kernel first, asks the kernel which
    interpreter runs it before the first cell and which lkj modules it imported after the
    last (into its ``lkj_kernel`` dict)."""
    from papermill.clientwrap import PapermillNotebookClient

    class Client(PapermillNotebookClient):
        lkj_kernel: dict
        lkj_reset: bool = False

        def papermill_execute_cells(self) -> None:
            if self.lkj_reset:  # a kernel that ran a notebook already: start from nothing
                self.wait_for_reply(self.kc.execute(_RESET, silent=True, store_history=False))
            msg_id = self.kc.execute(
                "", silent=True, store_history=False, user_expressions={"lkj": _ASK_KERNEL}
            )
            reply = self.wait_for_reply(msg_id) or {}
            answer = reply.get("content", {}).get("user_expressions", {}).get("lkj", {})
            if answer.get("status") != "ok":
                raise _WrongKernel(f"kernel tidak menjawab: {answer.get('evalue', answer)}")
            executable, prefix = json.loads(ast.literal_eval(answer["data"]["text/plain"]))
            self.lkj_kernel.update(executable=executable, prefix=prefix)
            if not _same_environment(executable, prefix):
                raise _WrongKernel(
                    f"notebook dijalankan oleh {executable}, bukan oleh {sys.executable}"
                )
            super().papermill_execute_cells()
            # Which lkj modules the notebook used: the code part of its stage's fingerprint.
            msg_id = self.kc.execute(
                "", silent=True, store_history=False, user_expressions={"lkj": _ASK_MODULES}
            )
            reply = self.wait_for_reply(msg_id) or {}
            answer = reply.get("content", {}).get("user_expressions", {}).get("lkj", {})
            if answer.get("status") == "ok":
                self.lkj_kernel["modules"] = json.loads(
                    ast.literal_eval(answer["data"]["text/plain"])
                )

    return Client


def _client_log() -> logging.Logger:
    """The logger nbclient writes to: kept off the terminal. nbclient logs an error and then
    raises it (a kernel that died before replying, a cell's timeout); the run names the raised
    error once, in its own words, or says it was stopped (Ctrl-C kills the kernels while a
    notebook may still be waiting for one: that error is expected, never a second message)."""
    log = logging.getLogger("lkj.nbclient")
    if not log.handlers:
        log.addHandler(logging.NullHandler())
        log.propagate = False
    return log


def _engine_class(client_class: type) -> type:
    """papermill's nbclient engine, with ``client_class`` (:func:`_client_class`) and the
    kernel manager of ``lkj.run.kernels``, on the run's shared kernel when one is given
    (``lkj_shared``)."""
    from papermill.engines import NBClientEngine
    from papermill.utils import merge_kwargs, remove_args

    logger = _client_log()

    ThisInterpreterKernelManager = _kernel_manager_class()

    class Engine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man: object,
            kernel_name: str,
            log_output: bool = False,
            stdout_file: object = None,
            stderr_file: object = None,
            start_timeout: int = 60,
            execution_timeout: int | None = None,
            **kwargs: object,
        ) -> object:
            # As NBClientEngine.execute_managed_notebook, with our client and kernel manager.
            sink = kwargs.pop("lkj_kernel")
            shared = kwargs.pop("lkj_shared", None)
            on_cell = kwargs.pop("lkj_on_cell", None)
            kwargs = remove_args(["input_path"], **kwargs)
            safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
            final_kwargs = merge_kwargs(
                safe_kwargs,
                timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                kernel_manager_class=ThisInterpreterKernelManager,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            if shared is not None:  # a kernel of the run, started ahead (_Kernels)
                final_kwargs["km"] = shared.manager
            client = client_class(nb_man, **final_kwargs)
            if shared is not None and shared.client is not None:
                client.kc = shared.client  # the lane's client, its channels open
            client.lkj_kernel = sink
            client.lkj_reset = bool(shared is not None and shared.used)
            # The notebook is written once, when it ends (papermill's notebook_complete, also
            # after a failing cell), not at the start and end of every cell: a report's
            # notebook holds a megabyte of tables.
            nb_man.save = lambda **_kwargs: None
            if on_cell is not None:  # told of each cell that has run (also after an error)
                complete = nb_man.cell_complete

                def cell_complete(cell: Any, *args: Any, **kw: Any) -> Any:
                    done = complete(cell, *args, **kw)
                    on_cell(cell)
                    return done

                nb_man.cell_complete = cell_complete
            try:
                return client.execute()
            finally:
                del nb_man.save  # back to the class's method, for notebook_complete
                if shared is not None:
                    shared.used = True
                    shared.client = client.kc  # for the lane's next notebook

    return Engine


def _same_environment(executable: str, prefix: str) -> bool:
    def norm(path: str) -> str:
        return os.path.normcase(os.path.abspath(path))

    return norm(executable) == norm(sys.executable) or norm(prefix) == norm(sys.prefix)
