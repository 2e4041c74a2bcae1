"""The data layer: the data contract (schema, schema_pemda), reading and validating raw data
(dataset), a new year's folder (newyear), the data forms (forms) and a pemda workspace (workspace).

Imports only lkj.core."""
