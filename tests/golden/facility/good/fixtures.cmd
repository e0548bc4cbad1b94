# The shared test fixtures: a portfolio (a listed file and an inline facility, operator acme),
# dotted keys and fiscal-year periods, and a folder argument that reaches alpha.yaml twice (read once).
policy eval --policy tests/golden/facility/facts.policy --as-of 2026-06-30 --format summary tests/fixtures/facilities/portfolio.yaml tests/fixtures/facilities/beta.yaml
policy eval --policy tests/golden/facility/facts.policy --as-of 2026-06-30 --format summary tests/fixtures/facilities/
