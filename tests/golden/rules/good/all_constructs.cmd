# The fixture that uses every construct of the language (tests/fixtures/policies/), checked and
# evaluated against the fixture facilities, which lack the scope's fact.
policy check tests/fixtures/policies/all_constructs.policy
policy eval --policy tests/fixtures/policies/all_constructs.policy --as-of 2031-06-30 --format summary tests/fixtures/facilities/portfolio.yaml
