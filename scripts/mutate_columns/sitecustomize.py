# scripts/mutate_columns (issue 18): LKJ_MUTATE="key:header" points one column of one table at the
# neighbouring column's text (plus "9"), in every lkj process of the build (not in pytest's)
import os
import sys

spec = os.environ.get("LKJ_MUTATE")
if spec:
    key, header = spec.split(":", 1)
    import dataclasses

    from lkj.document import tables as _t
    from lkj.document.tables import place

    _orig = _t.Table.__post_init__

    def _post(self: _t.Table) -> None:
        _orig(self)
        if self.key != key or "pytest" in sys.modules:
            return
        n = len(self.columns)
        j = [c.header for c in self.columns].index(header)
        other = j - 1 if j else 1
        rows = []
        for row, placed in zip(self.rows, place(self.rows, n), strict=True):
            at = dict(placed)
            cells = list(row)
            for i, (jj, c) in enumerate(placed):
                if jj == j:
                    near = at.get(other)
                    cells[i] = dataclasses.replace(c, text=(near.text if near else "") + "9")
            rows.append(tuple(cells))
        self.rows = rows

    _t.Table.__post_init__ = _post
