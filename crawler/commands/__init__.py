"""Sub-commands of ``blogarchive``: each module has NAME, HELP, add_arguments(parser) and run(args)."""
