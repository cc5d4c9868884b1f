"""Data only: the versioned record schema and its validation, the segment schema, origins,
page outcomes, media values, the output directory's layout, platforms and the manifest format.

The modules are imported by name (``schemas.post``, ``schemas.platforms``…): importing this
package loads nothing else, so the command line's help never pays for pyarrow.
"""
