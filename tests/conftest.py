"""The suite's fixtures are plugins, one module per domain, under tests/fixtures/."""
pytest_plugins = [
    "tests.fixtures.core",
    "tests.fixtures.projects",
    "tests.fixtures.partners",
    "tests.fixtures.visits",
    "tests.fixtures.workbench",
    "tests.fixtures.public",
    "tests.fixtures.notifications",
    "tests.fixtures.calls",
    "tests.fixtures.security",
]
