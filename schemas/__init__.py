"""Versioned record schema, validation, dataset card template and manifest format.

The modules are imported by name (``schemas.post``, ``schemas.platforms``…): importing this
package loads nothing else, so the command line's help never pays for pyarrow.
"""
