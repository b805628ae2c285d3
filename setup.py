"""Build step that pyproject.toml cannot express: ship notebooks/ inside the package.

The notebooks live at the top of the checkout (where JupyterLab opens them); a wheel
carries a copy under ``uxcx/report/notebooks`` so that ``uxcx report`` works from an
installed package too (:func:`uxcx.report.runner.default_notebooks`).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithNotebooks(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib) / "uxcx" / "report" / "notebooks"
        target.mkdir(parents=True, exist_ok=True)
        for notebook in sorted((Path(__file__).parent / "notebooks").glob("[0-9]*.ipynb")):
            shutil.copy2(notebook, target / notebook.name)


setup(cmdclass={"build_py": BuildWithNotebooks})
