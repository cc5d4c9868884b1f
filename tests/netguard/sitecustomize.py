"""Run by Python at start-up when this folder is on PYTHONPATH (tests/conftest.py puts it there):
every Python subprocess a test starts is kept off the internet, like the test process itself."""

import blogarchive_netguard

blogarchive_netguard.install()
