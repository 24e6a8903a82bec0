"""The officers' web pages for the casework app, one module per noun (cases, people, incidents,
evidence, contacts). Plain function views: each reaches its case through `policy.access_case`,
reads through selectors and writes through one service call."""
