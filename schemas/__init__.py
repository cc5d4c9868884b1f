"""Versioned record schema, validation, dataset card template and manifest format."""

from schemas.post import COLUMN_DOCS, COLUMNS, POST_SCHEMA, SCHEMA_VERSION, to_row, to_table, validate_table

__all__ = ["COLUMNS", "COLUMN_DOCS", "POST_SCHEMA", "SCHEMA_VERSION", "to_row", "to_table", "validate_table"]
