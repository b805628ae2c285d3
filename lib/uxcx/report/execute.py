"""One notebook executed by papermill in its own kernel, for :mod:`uxcx.report.runner`.

:func:`kernel_name` finds the kit's kernel; :func:`execute` runs a notebook with the study
and report folder as parameters, records every kernel it starts (so an interrupted run
can stop them, :mod:`uxcx.report.staging`), hands the kernel the run's loaded study
(:mod:`uxcx.study.cache`) and the file its warnings go to, and turns a failure into the
run's status, cell and message.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from uxcx.report.staging import Kernels

__all__ = ["kernel_name", "execute"]


def kernel_name() -> str:
    """The kit's kernel ``uxcx`` wherever Jupyter finds it (``make`` installs it into the venv),
    else ``python3``, the running Python's own.

    Looks in Jupyter's kernel folders in Jupyter's order for the spec file rather than asking
    jupyter_client's KernelSpecManager, which costs 0.3 s on the critical path before the first
    kernel starts. A ``uxcx`` spec whose interpreter is gone (a deleted venv) does not count.
    """
    import shutil

    from jupyter_core.paths import jupyter_path

    for folder in jupyter_path("kernels"):
        spec = Path(folder) / "uxcx" / "kernel.json"
        if not spec.is_file():
            continue
        try:
            program = json.loads(spec.read_text(encoding="utf-8"))["argv"][0]
        except (OSError, ValueError, KeyError, IndexError, TypeError):
            return "python3"
        found = Path(program).is_file() if Path(program).is_absolute() else shutil.which(program)
        return "uxcx" if found else "python3"
    return "python3"


def execute(path: Path, out: Path, study: Path, run, kernel: str, cells: bool,
             kernels: Kernels, private: Path) -> None:
    import os
    import re
    import tempfile

    import papermill as pm
    from jupyter_client.manager import AsyncKernelManager

    from uxcx.report import caveats
    from uxcx.study.cache import CACHE_ENV

    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="uxcx-kernel-") as tmp:
        record = Path(tmp) / "caveats.json"
        # The kernel process's own stderr ("[IPKernelApp] WARNING | Kernel is running over TCP
        # ...", "KeyboardInterrupt caught in kernel." as it is shut down) goes to a file, not
        # to the console; cell output still reaches the notebook, and a kernel that dies has
        # its last words added to the error below.
        with open(Path(tmp) / "kernel.log", "w+b") as log:

            class Kernel(AsyncKernelManager):
                async def start_kernel(self, **kw):
                    kw["env"] = {**kw.get("env", os.environ), caveats.RECORD_ENV: str(record),
                                 CACHE_ENV: str(private / "study.pickle")}
                    kw.setdefault("stderr", log)
                    started = await super().start_kernel(**kw)
                    kernels.add(getattr(self.provisioner, "process", None))  # to stop on Ctrl-C
                    return started

            try:
                pm.execute_notebook(str(path), str(out / path.name),
                                    parameters={"study": str(study), "out_dir": str(out)},
                                    progress_bar=cells, cwd=str(path.parent), kernel_name=kernel,
                                    request_save_on_cell_execute=False,  # written once, at the end
                                    kernel_manager_class=Kernel)
                run.status = "ok"
                caveats.add_to_results(out / f"{path.stem}.json", record, out / path.name)
            except pm.PapermillExecutionError as err:
                # exec_count is the [n] Jupyter shows beside the cell.
                run.status, run.cell = "failed", err.exec_count
                run.error = f"{err.ename}: {err.evalue}"
            except Exception as err:  # a kernel that died or a notebook that cannot be read
                run.status, run.error = "failed", f"{type(err).__name__}: {err}"
                log.seek(0)
                said = [line.strip() for line in log.read().decode("utf-8", "replace").splitlines()
                        if line.strip() and not re.match(r"\[IPKernelApp\] (WARNING|INFO|DEBUG)|"
                                                         r"[\d.]+s - |Debugger warning", line.strip())]
                if said:
                    run.error += f" (the kernel said: {said[-1][:300]})"
    run.seconds = time.perf_counter() - start
