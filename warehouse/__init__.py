"""The DuckDB warehouse: schema, migrations, loads and exports. `schema.sql` is the source of truth."""
