"""Pure domain logic: the instrument and the aggregation of answers. No Flask, no database."""
