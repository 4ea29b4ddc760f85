"""What decides a computed figure, as version strings that stored results are keyed by.

Light on purpose (no pandas): reading a stored chart must not load the numbers' libraries.
"""

# Raise whenever a rule changes a figure, so charts and documents stored with the old
# figures are never served again. 2: figures rest on published answers only.
RULES_VERSION = "2"

# The fewest advisors a norm may rest on, whatever the configuration says (domain.norms).
NORM_FLOOR = 20
